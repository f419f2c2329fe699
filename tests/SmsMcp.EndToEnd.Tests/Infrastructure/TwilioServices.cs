using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Providers;
using SmsMcp.Infrastructure.Providers;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>The Twilio provider and client exactly as production wires them (<c>Sms:Provider = Twilio</c>), pointed at Prism.</summary>
public sealed class TwilioServices : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private readonly ServiceProvider _services;

    public TwilioServices(PrismFixture prism, IDictionary<string, string?>? overrides = null, Func<DelegatingHandler>? readHandler = null, Func<DelegatingHandler>? sendHandler = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sms:Provider"] = "Twilio",
            ["Sms:Twilio:AccountSid"] = AccountSid,
            ["Sms:Twilio:ApiKeySid"] = "SK0123456789abcdef0123456789abcdef",
            ["Sms:Twilio:ApiKeySecret"] = "prism-checks-presence-not-value",
            ["Sms:Twilio:From"] = "+12025550100",
            ["Sms:Twilio:StatusCallbackUrl"] = "https://smsmcp.example.com/twilio/status",
            ["Sms:Twilio:ApiBaseUrl"] = prism.ApiBaseUrl.ToString(),
            ["Sms:Twilio:LookupBaseUrl"] = prism.LookupBaseUrl.ToString(),
            ["Sms:Twilio:MaxAttempts"] = "1",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSmsProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            SmsMcpEnvironment.Create(isDevelopment: false, Path.GetTempPath()));
        if (readHandler is not null)
        {
            services.AddHttpClient(TwilioApi.ReadClientName).AddHttpMessageHandler(readHandler);
        }

        if (sendHandler is not null)
        {
            services.AddHttpClient(TwilioApi.SendClientName).AddHttpMessageHandler(sendHandler);
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public ISmsProvider Provider => _services.GetRequiredService<ISmsProvider>();

    public TwilioApi Client => _services.GetRequiredService<TwilioApi>();

    /// <summary>Reconciliation's fetch by SID, as production wires it.</summary>
    public IMessageStatusFetcher Fetcher => _services.GetRequiredService<IMessageStatusFetcher>();

    /// <summary>The first-contact lookup the guard calls, as production wires it with Twilio.</summary>
    public INumberLookup Lookup => _services.GetRequiredService<INumberLookup>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
