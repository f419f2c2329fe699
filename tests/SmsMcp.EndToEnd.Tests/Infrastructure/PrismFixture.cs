namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Prism serving Twilio's REST API (<c>twilio_api_v2010.json</c>) and Lookup v2 (<c>twilio_lookups_v2.json</c>),
/// started once for the <see cref="PrismCollection"/> and stopped after it. A missing peer fails, never skips.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private PrismProcess? _api;
    private PrismProcess? _lookups;

    public Uri ApiBaseUrl => (_api ?? throw new InvalidOperationException("Not started.")).BaseUrl;

    public Uri LookupBaseUrl => (_lookups ?? throw new InvalidOperationException("Not started.")).BaseUrl;

    public async Task InitializeAsync()
    {
        var api = PrismProcess.StartAsync(Peers.TwilioOpenApi("twilio_api_v2010.json"));
        var lookups = PrismProcess.StartAsync(Peers.TwilioOpenApi("twilio_lookups_v2.json"));
        try
        {
            await Task.WhenAll(api, lookups);
        }
        finally
        {
            _api = api.IsCompletedSuccessfully ? api.Result : null;
            _lookups = lookups.IsCompletedSuccessfully ? lookups.Result : null;
        }
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_lookups is not null)
        {
            await _lookups.DisposeAsync();
        }
    }
}
