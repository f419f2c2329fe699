using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Providers.Sandbox;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Channels;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Watchdog;

public static class WatchdogServiceCollectionExtensions
{
    /// <summary>
    /// The anomaly scan (<see cref="IAnomalyScan"/>), its detectors and the alert channels configured under
    /// <c>Watchdog:Alerts</c>. Refuses to start with a webhook whose signing secret is not in Key Vault (outside
    /// Development), or an http:// channel URL outside Development.
    /// </summary>
    public static IServiceCollection AddSmsWatchdog(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<AlertChannelOptions>()
            .Bind(configuration.GetSection(AlertChannelOptions.SectionName))
            .PostConfigure<IServiceProvider>((o, sp) =>
            {
                if (environment.IsDevelopment && !o.HasRemoteChannel && o.FilePath is null)
                {
                    var outbox = sp.GetService<IOptions<SandboxOptions>>()?.Value.OutboxPath ?? Path.Combine(environment.DataDirectory, "sandbox-outbox.jsonl");
                    o.FilePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outbox))!, "watchdog-alerts.jsonl");
                }
            })
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Watchdog:Alerts:MaxAttempts must be from 1 to 10.")
            .Validate(o => o.FirstRetryDelay >= TimeSpan.Zero && o.FirstRetryDelay <= TimeSpan.FromMinutes(1), "Watchdog:Alerts:FirstRetryDelay must be between 00:00:00 and 00:01:00.")
            .Validate(o => environment.IsDevelopment || new[] { o.WebhookUrl, o.TeamsUrl, o.SlackUrl }.All(u => u is null || u.Scheme == Uri.UriSchemeHttps),
                "Watchdog:Alerts URLs must be https outside Development.")
            .Validate(o => o.WebhookUrl is null || (o.WebhookSecretName is not null && o.KeyVaultUri is not null) || (environment.IsDevelopment && o.WebhookSecret is not null),
                "Watchdog:Alerts:WebhookUrl needs Watchdog:Alerts:WebhookSecretName and Watchdog:Alerts:KeyVaultUri (the signing secret lives in Key Vault; Watchdog:Alerts:WebhookSecret is for Development only).")
            .ValidateOnStart();

        services.TryAddSingleton<TrafficCounters>();
        services.AddMetrics();
        services.AddSingleton<WatchdogState>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<ScanReader>();
        services.AddSingleton<IDetector, VolumeDetector>();
        services.AddSingleton<IDetector, CountryDetector>();
        services.AddSingleton<IDetector, SpendDetector>();
        services.AddSingleton<IDetector, PumpingDetector>();
        services.AddSingleton<IDetector, RefusalDetector>();
        services.AddSingleton<IDetector, OperationsDetector>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<IAnomalyScan, AnomalyScan>();
        services.AddHttpClient(nameof(AlertChannelOptions));

        services.AddSingleton<IEnumerable<IAlertChannel>>(sp => Channels(sp).ToList());
        return services;
    }

    private static IEnumerable<IAlertChannel> Channels(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AlertChannelOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        HttpClient Http() => services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertChannelOptions));
        if (options.WebhookUrl is not null)
        {
            IAlertSecretSource secrets = options.WebhookSecretName is { } name && options.KeyVaultUri is { } vault
                ? new KeyVaultAlertSecretSource(new SecretClient(vault, AzureCredentials.Create(options.ManagedIdentityClientId)), name, time)
                : new ConfiguredAlertSecretSource(options.WebhookSecret!);
            yield return new WebhookAlertChannel(Http(), options, secrets, time);
        }

        if (options.TeamsUrl is not null)
        {
            yield return new ChatAlertChannel(Http(), options, time, ChatKind.Teams);
        }

        if (options.SlackUrl is not null)
        {
            yield return new ChatAlertChannel(Http(), options, time, ChatKind.Slack);
        }

        if (services.GetRequiredService<SendPolicy>().Watchdog.OnCallAliases.Count > 0)
        {
            yield return new OnCallSmsChannel(services.GetRequiredService<SendPolicy>(), services.GetRequiredService<ISmsProvider>(), services.GetRequiredService<WatchdogState>(), time);
        }

        if (options.FilePath is { } path)
        {
            yield return new FileAlertChannel(path);
        }
    }
}
