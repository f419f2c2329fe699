using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsMcp.Core.Content;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.Infrastructure.Providers;
using SmsMcp.Infrastructure.Twilio;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// The Twilio provider exactly as production wires it (<c>AddSmsProvider</c> with <c>Sms:Provider = Twilio</c>),
/// pointed at a loopback base URL, with every log line captured and every HTTP attempt counted.
/// </summary>
public sealed class TwilioHarness : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiKeySid = "SK0123456789abcdef0123456789abcdef";
    public const string ApiKeySecret = "api-key-secret-do-not-log-7f3a9c";
    public const string From = "+12025550100";
    public const string ToE164 = "+12025550123";
    public const string Body = "Your parcel code is 8841-QX; do not share it.";

    private readonly ServiceProvider _services;

    /// <param name="baseUrl">The loopback Twilio fake.</param>
    /// <param name="overrides">Settings to change or (with null) remove.</param>
    /// <param name="configureServices">Registrations made before the provider's (e.g. a test clock, which then wins over its TryAdd).</param>
    public TwilioHarness(Uri baseUrl, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sms:Provider"] = "Twilio",
            ["Sms:Twilio:AccountSid"] = AccountSid,
            ["Sms:Twilio:ApiKeySid"] = ApiKeySid,
            ["Sms:Twilio:ApiKeySecret"] = ApiKeySecret,
            ["Sms:Twilio:From"] = From,
            ["Sms:Twilio:StatusCallbackUrl"] = "https://smsmcp.example.com/twilio/status",
            ["Sms:Twilio:ApiBaseUrl"] = baseUrl.ToString(),
            ["Sms:Twilio:LookupBaseUrl"] = baseUrl.ToString(),
            ["Sms:Twilio:RequestTimeout"] = "00:00:02",
            ["Sms:Twilio:ConnectTimeout"] = "00:00:01",
            ["Sms:Twilio:RetryBaseDelay"] = "00:00:00.001",
            ["Sms:Twilio:MaxRetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        configureServices?.Invoke(services);
        services.AddSmsProvider(configuration, SmsMcpEnvironment.Create(isDevelopment: false, Path.GetTempPath()));
        services.AddHttpClient(TwilioApi.SendClientName).AddHttpMessageHandler(() => new CountingHandler(this));
        services.AddHttpClient(TwilioApi.ReadClientName).AddHttpMessageHandler(() => new CountingHandler(this));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>HTTP attempts that left our client (counted above the socket handler, so refused connections count too).</summary>
    public int Attempts => _attempts;

    private int _attempts;

    public ISmsProvider Provider => _services.GetRequiredService<ISmsProvider>();

    public TwilioApi Client => _services.GetRequiredService<TwilioApi>();

    /// <summary>The status-callback auth token source, as production wires it.</summary>
    public TwilioAuthTokenSource AuthTokens => _services.GetRequiredService<TwilioAuthTokenSource>();

    /// <summary>The first-contact lookup production wires with the Twilio provider.</summary>
    public INumberLookup Lookup => _services.GetRequiredService<INumberLookup>();

    public static PhoneNumber To => PhoneNumberParser.TryParse(ToE164, out var n, out _) ? n : throw new InvalidOperationException();

    public Task<ProviderSendResult> SendAsync(CancellationToken cancellationToken = default) =>
        Provider.SendAsync(new ProviderMessage("msg_test", To, Body, SmsSegmenter.Analyze(Body)), cancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class CountingHandler(TwilioHarness harness) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref harness._attempts);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
