namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>One plain-HTTP Azurite shared by <see cref="AzuriteCollection"/>; tests isolate themselves by table name.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteEmulator? _azurite;

    public AzuriteEmulator Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
