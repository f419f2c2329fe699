namespace SmsMcp.Cli.Tests.Audit;

/// <summary>One Azurite with Blob and Table shared by <see cref="AzuriteCollection"/>; tests isolate themselves by day and container.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteEmulator? _azurite;

    public AzuriteEmulator Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteEmulator.StartAsync(new AzuriteOptions { Blobs = true });

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (blobs and tables)";
}
