using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddSmsAudit(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.SectionName))
            .Validate(o => environment.IsDevelopment || !string.IsNullOrWhiteSpace(o.PseudonymizationKey),
                "Audit:PseudonymizationKey is not set. Outside Development a base64 key of at least 32 bytes must be configured.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PseudonymizationKey) || IsStrongKey(o.PseudonymizationKey, Pseudonymizer.MinimumKeyBytes),
                $"Audit:PseudonymizationKey must be base64 of at least {Pseudonymizer.MinimumKeyBytes} bytes.")
            .Validate(o => string.IsNullOrWhiteSpace(o.SealKey) || IsStrongKey(o.SealKey, AuditSealer.MinimumKeyBytes),
                $"Audit:SealKey must be base64 of at least {AuditSealer.MinimumKeyBytes} bytes.")
            .ValidateOnStart();
        // Loaded once (in Development from, or into, a file): the sealer derives its key from the bytes the pseudonymizer uses.
        services.AddSingleton(sp => new PseudonymizationKey(
            PseudonymizationKeySource.Load(sp.GetRequiredService<IOptions<AuditOptions>>().Value, environment)));
        services.AddSingleton(sp => new Pseudonymizer(sp.GetRequiredService<PseudonymizationKey>().Bytes));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.SealKey)
                ? AuditSealer.FromPseudonymizationKey(sp.GetRequiredService<PseudonymizationKey>().Bytes)
                : new AuditSealer(Convert.FromBase64String(options.SealKey.Trim()));
        });
        services.AddSingleton<AuditLog>();
        services.AddTable(AuditLog.Table);
        services.AddSingleton<AuditVerifier>();
        return services;
    }

    private static bool IsStrongKey(string base64, int minimumBytes)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= minimumBytes;
    }
}
