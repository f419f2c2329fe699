using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>The storage contract against a real Azurite, with the emulator account's key (a connection string).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreContractTests(AzuriteFixture fixture) : TableStoreContractTests
{
    /// <summary>Azurite 3.37 answers 400 InvalidInput to keys over 512 characters; Azure itself takes 1024.</summary>
    protected override int LongestStorableKey => 512;

    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(new AzureTableStore(new AzureTableStoreOptions
        {
            ConnectionString = fixture.Azurite.ConnectionString,
        }));

    protected override Task DisposeStoreAsync() => Task.CompletedTask;
}
