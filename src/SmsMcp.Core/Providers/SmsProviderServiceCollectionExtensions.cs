using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Providers.Sandbox;

namespace SmsMcp.Core.Providers;

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
                    o.Provider ??= "Sandbox";
                }
            })
            .Validate(o => o.Provider is not null,
                "Sms:Provider is not set. Outside Development the SMS provider must be chosen explicitly (Sandbox).")
            .Validate(o => o.Provider is null || string.Equals(o.Provider, "Sandbox", StringComparison.OrdinalIgnoreCase),
                "Sms:Provider must be 'Sandbox'.")
            .ValidateOnStart();
        services.AddOptions<SandboxOptions>()
            .Bind(configuration.GetSection(SandboxOptions.SectionName))
            .PostConfigure(o => o.OutboxPath ??= Path.Combine(environment.DataDirectory, "sandbox-outbox.jsonl"));

        services.AddSingleton<ISmsProvider>(sp => new SandboxSmsProvider(
            sp.GetRequiredService<IOptions<SandboxOptions>>().Value.OutboxPath!,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
