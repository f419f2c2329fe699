using System.Runtime.CompilerServices;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Sandbox;

namespace SmsMcp.Infrastructure.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// The watchdog's alert channels configured under <c>Watchdog:Alerts</c>, plus on-call SMS when the policy names
    /// on-call aliases. Refuses to start with a webhook whose signing secret is not in Key Vault (outside Development),
    /// or an http:// channel URL outside Development. In Development with no remote channel, alerts go to
    /// <c>watchdog-alerts.jsonl</c> beside the sandbox outbox.
    /// </summary>
    public static IServiceCollection AddAlertChannels(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
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
            // A value without a scheme binds as a relative Uri (a URL pasted into the vault without https://, say), whose
            // Scheme throws: refused by name here instead of failing the start with the framework's message.
            .Validate(o => Urls(o).All(u => u.IsAbsoluteUri), "Watchdog:Alerts URLs must be absolute (https://host/...).")
            .Validate(o => environment.IsDevelopment || Urls(o).All(u => !u.IsAbsoluteUri || u.Scheme == Uri.UriSchemeHttps),
                "Watchdog:Alerts URLs must be https outside Development.")
            .Validate(o => o.WebhookUrl is null || (o.WebhookSecretName is not null && o.KeyVaultUri is not null) || (environment.IsDevelopment && o.WebhookSecret is not null),
                "Watchdog:Alerts:WebhookUrl needs Watchdog:Alerts:WebhookSecretName and Watchdog:Alerts:KeyVaultUri (the signing secret lives in Key Vault; Watchdog:Alerts:WebhookSecret is for Development only).")
            .ValidateOnStart();
        // Only a remote channel posts over HTTP. Read here, like the OAuth schemes, because it decides which services
        // exist: a server without one never loads the HTTP client factory and System.Net.Http.
        var remote = configuration.GetSection(AlertChannelOptions.SectionName);
        if (AlertChannelOptions.RemoteUrlKeys.Any(key => !string.IsNullOrEmpty(remote[key])))
        {
            AddAlertHttpClient(services);
        }

        services.AddSingleton<IEnumerable<IAlertChannel>>(sp => Channels(sp).ToList());
        return services;
    }

    /// <summary>Its own method, never inlined: compiling it is what loads Microsoft.Extensions.Http.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddAlertHttpClient(IServiceCollection services) => services.AddHttpClient(nameof(AlertChannelOptions));

    /// <summary>Its own method, never inlined: compiling it loads the Key Vault SDK, Azure.Core and Azure.Identity.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IAlertSecretSource KeyVaultWebhookSecret(Uri vault, string name, string? managedIdentityClientId, TimeProvider time) =>
        new KeyVaultAlertSecretSource(new SecretClient(vault, AzureCredentials.Create(managedIdentityClientId)), name, time);

    private static IEnumerable<Uri> Urls(AlertChannelOptions options) =>
        new[] { options.WebhookUrl, options.TeamsUrl, options.SlackUrl }.OfType<Uri>();

    private static IEnumerable<IAlertChannel> Channels(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AlertChannelOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        HttpClient Http() => services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AlertChannelOptions));
        if (options.WebhookUrl is not null)
        {
            IAlertSecretSource secrets = options.WebhookSecretName is { } name && options.KeyVaultUri is { } vault
                ? KeyVaultWebhookSecret(vault, name, options.ManagedIdentityClientId, time)
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

        var policy = services.GetRequiredService<SendPolicy>();
        if (policy.Watchdog.OnCallAliases.Count > 0)
        {
            yield return new OnCallSmsChannel(policy, services.GetRequiredService<ISmsProvider>(), services.GetRequiredService<WatchdogState>(),
                services.GetRequiredService<AuditLog>(), services.GetRequiredService<Pseudonymizer>(), time);
        }

        if (options.FilePath is { } path)
        {
            yield return new FileAlertChannel(path);
        }
    }
}
