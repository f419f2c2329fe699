using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Watchdog;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary><see cref="WatchdogEventTests"/> on Table Storage (a real Azurite), each test in tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableWatchdogEventTests(AzuriteFixture fixture) : WatchdogEventTests
{
    protected override int PropertyCases => 15;

    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(new TableSuffixStore(
            new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString }),
            TableSuffixStore.NewSuffix()));
}
