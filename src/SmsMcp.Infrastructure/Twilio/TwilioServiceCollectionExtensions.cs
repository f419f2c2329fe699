using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Providers;
using SmsMcp.Infrastructure.Hosting;

namespace SmsMcp.Infrastructure.Twilio;

public static class TwilioServiceCollectionExtensions
{
    /// <summary>
    /// Twilio as the <see cref="ISmsProvider"/> through the Twilio SDK (<see cref="TwilioApi"/>): options from
    /// <c>Sms:Twilio</c> validated at start, and two named HttpClients from <see cref="IHttpClientFactory"/> that carry the
    /// SDK's requests (<see cref="TwilioHttpTransport"/>), without HttpClient's own logging (it writes request URLs, and a
    /// Lookup URL holds the phone number). The credential comes from configuration, or from Key Vault when
    /// <c>Sms:Twilio:KeyVaultUri</c> is set (<see cref="KeyVaultTwilioCredentialSource"/>).
    /// </summary>
    public static IServiceCollection AddTwilioSmsProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Creates never reuse a pooled connection. SocketsHttpHandler has an internal retry for requests whose reused
        // connection turns out to be dead; for a POST Twilio may already have taken, any re-send would be a double
        // send. The tests could not make .NET 10 re-send, but "never a double send" must not rest on an
        // implementation detail. One fresh connection per create (a TLS handshake per SMS) is the price.
        services.AddHttpClient(TwilioApi.SendClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => NewHandler(sp, TimeSpan.Zero))
            .RemoveAllLoggers();
        services.AddHttpClient(TwilioApi.ReadClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => NewHandler(sp, TimeSpan.FromMinutes(5)))
            .RemoveAllLoggers();
        services.TryAddKeyedSingleton(KeyVaultTwilioCredentialSource.ClientOptionsKey, (_, _) => KeyVaultTwilioCredentialSource.DefaultClientOptions());
        // One vault client and one cache for every Twilio secret: the send credential and the callback token can be the
        // same secret, and a re-read by either must be seen by both.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TwilioOptions>>();
            return new TwilioVaultSecrets(NewSecretClient(sp, options.Value), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TwilioVaultSecrets>>());
        });
        services.AddSingleton<ITwilioCredentialSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TwilioOptions>>();
            return options.Value.KeyVaultUri is { Length: > 0 }
                ? new KeyVaultTwilioCredentialSource(sp.GetRequiredService<TwilioVaultSecrets>(), options, sp.GetRequiredService<ILogger<KeyVaultTwilioCredentialSource>>())
                : new ConfigurationTwilioCredentialSource(options);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TwilioOptions>>();
            return new TwilioAuthTokenSource(options, options.Value.KeyVaultUri is { Length: > 0 } ? sp.GetRequiredService<TwilioVaultSecrets>() : null);
        });
        services.AddSingleton<TwilioApi>();
        services.AddSingleton<ISmsProvider, TwilioSmsProvider>();
        services.AddSingleton<IMessageStatusFetcher, TwilioStatusFetcher>();
        services.AddSingleton<INumberLookup, TwilioNumberLookup>();
        return services;
    }

    private static SecretClient NewSecretClient(IServiceProvider services, TwilioOptions options) =>
        new(new Uri(options.KeyVaultUri!), AzureCredentials.Create(options.ManagedIdentityClientId),
            services.GetRequiredKeyedService<SecretClientOptions>(KeyVaultTwilioCredentialSource.ClientOptionsKey));

    private static SocketsHttpHandler NewHandler(IServiceProvider services, TimeSpan pooledConnectionLifetime) => new()
    {
        // Redirects would carry the Basic credentials to wherever they point; Twilio's API does not redirect.
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = pooledConnectionLifetime,
        ConnectTimeout = services.GetRequiredService<IOptions<TwilioOptions>>().Value.ConnectTimeout,
    };
}
