using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Sending;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary><see cref="SendCrashPointTests"/> on Table Storage (a real Azurite), each case in tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSendCrashPointTests(AzuriteFixture fixture) : SendCrashPointTests
{
    protected override Task<ITableStore> NewStoreAsync() =>
        Task.FromResult<ITableStore>(new TableSuffixStore(
            new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString }),
            TableSuffixStore.NewSuffix()));
}
