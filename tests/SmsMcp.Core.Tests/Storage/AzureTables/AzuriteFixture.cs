using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>One plain-HTTP Azurite shared by <see cref="AzuriteCollection"/>; tests isolate themselves by table name.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteEmulator? _azurite;

    public AzuriteEmulator Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>A store on tables of its own (a fresh name suffix), which no other case uses.</summary>
    public ITableStore NewStore() =>
        new TableSuffixStore(new AzureTableStore(new AzureTableStoreOptions { ConnectionString = Azurite.ConnectionString }), TableSuffixStore.NewSuffix());

    public async Task InitializeAsync() => _azurite = await AzuriteEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
