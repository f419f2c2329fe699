using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Providers;
using SmsMcp.Infrastructure.Sandbox;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Infrastructure.Providers;

public static class SmsProviderServiceCollectionExtensions
{
    /// <summary>The provider chosen by <c>Sms:Provider</c>; refuses to start when it is missing outside Development.</summary>
    public static IServiceCollection AddSmsProvider(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<SmsProviderOptions>()
            .Bind(configuration.GetSection(SmsProviderOptions.SectionName))
            .PostConfigure(o =>
            {
                if (environment.IsDevelopment)
                {
                    o.Provider ??= SmsProviderOptions.Sandbox;
                }
            })
            .Validate(o => o.Provider is not null,
                "Sms:Provider is not set. Outside Development the SMS provider must be chosen explicitly (Sandbox or Twilio).")
            .Validate(o => o.Provider is null || IsKnown(o.Provider),
                "Sms:Provider must be 'Sandbox' or 'Twilio'.")
            .ValidateOnStart();

        // The choice is read here, not from the options, because it decides which services exist at all: Twilio's
        // settings are validated only when Twilio is chosen, and the sandbox can never serve a Twilio configuration.
        var chosen = configuration[$"{SmsProviderOptions.SectionName}:Provider"] ?? (environment.IsDevelopment ? SmsProviderOptions.Sandbox : null);
        if (string.Equals(chosen, SmsProviderOptions.Twilio, StringComparison.OrdinalIgnoreCase))
        {
            return services.AddTwilioSmsProvider(configuration);
        }

        services.AddOptions<SandboxOptions>()
            .Bind(configuration.GetSection(SandboxOptions.SectionName))
            .PostConfigure(o => o.OutboxPath ??= Path.Combine(environment.DataDirectory, "sandbox-outbox.jsonl"));

        services.AddSingleton<ISmsProvider>(sp => new SandboxSmsProvider(
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value.OutboxPath!,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<INumberLookup, SandboxNumberLookup>();
        return services;
    }

    private static bool IsKnown(string provider) =>
        string.Equals(provider, SmsProviderOptions.Sandbox, StringComparison.OrdinalIgnoreCase)
        || string.Equals(provider, SmsProviderOptions.Twilio, StringComparison.OrdinalIgnoreCase);
}
