using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Confirmation;

public static class ConfirmationServiceCollectionExtensions
{
    /// <summary>Client confirmation (profiles with <c>"confirm": "client"</c>). Needs <c>AddSmsAudit</c> and <c>AddSmsPolicy</c>.</summary>
    public static IServiceCollection AddSmsConfirmation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConfirmationOptions>()
            .Bind(configuration.GetSection(ConfirmationOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.StateKey) || IsStrongKey(o.StateKey),
                $"Confirmation:StateKey must be base64 of at least {ConfirmationStateCodec.MinimumKeyBytes} bytes.")
            .Validate(o => o.Lifetime >= ConfirmationOptions.MinimumLifetime && o.Lifetime <= ConfirmationOptions.MaximumLifetime,
                "Confirmation:Lifetime must be between 00:00:00.001 and 00:30:00.")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ConfirmationOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.StateKey)
                ? ConfirmationStateCodec.FromPseudonymizationKey(sp.GetRequiredService<PseudonymizationKey>().Bytes)
                : new ConfirmationStateCodec(Convert.FromBase64String(options.StateKey.Trim()));
        });
        services.AddSingleton<ConfirmationLedger>();
        services.AddTable(ConfirmationLedger.Table);
        services.AddSingleton<ConfirmationGate>();
        services.AddSingleton<ConfirmationAudit>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    private static bool IsStrongKey(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written >= ConfirmationStateCodec.MinimumKeyBytes;
    }
}
