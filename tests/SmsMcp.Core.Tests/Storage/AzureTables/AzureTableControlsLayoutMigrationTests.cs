using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Controls;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary><see cref="ControlsLayoutMigrationTests"/> on Table Storage (a real Azurite), each test in tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableControlsLayoutMigrationTests(AzuriteFixture fixture) : ControlsLayoutMigrationTests
{
    protected override ITableStore NewStore() => new TableSuffixStore(
        new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString }),
        TableSuffixStore.NewSuffix());
}
