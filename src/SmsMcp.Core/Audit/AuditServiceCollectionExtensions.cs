using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddSmsAudit(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .Validate(o => environment.IsDevelopment || !string.IsNullOrWhiteSpace(o.PseudonymizationKey),
                "Audit:PseudonymizationKey is not set. Outside Development a base64 key of at least 32 bytes must be configured.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PseudonymizationKey) || IsStrongKey(o.PseudonymizationKey),
                $"Audit:PseudonymizationKey must be base64 of at least {Pseudonymizer.MinimumKeyBytes} bytes.")
            .Validate(o => string.IsNullOrWhiteSpace(o.SealKey) || IsStrongKey(o.SealKey),
                $"Audit:SealKey must be base64 of at least {AuditSealer.MinimumKeyBytes} bytes.")
            .ValidateOnStart();
        services.AddSingleton(sp => new Pseudonymizer(
            PseudonymizationKeySource.Load(sp.GetRequiredService<IOptions<AuditOptions>>().Value, environment)));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.SealKey)
                ? AuditSealer.FromPseudonymizationKey(PseudonymizationKeySource.Load(options, environment))
                : new AuditSealer(Convert.FromBase64String(options.SealKey.Trim()));
        });
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditVerifier>();
        return services;
    }

    private static bool IsStrongKey(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= Pseudonymizer.MinimumKeyBytes;
    }
}
