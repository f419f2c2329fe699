using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary><see cref="PartitionUpdateTests"/> on Table Storage (a real Azurite: entity group transactions over <c>$batch</c>).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTablePartitionUpdateTests(AzuriteFixture fixture) : PartitionUpdateTests
{
    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString }));
}
