using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Confirmation;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Pricing;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Secrets;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Watchdog;
using SmsMcp.Infrastructure.Alerts;
using SmsMcp.Infrastructure.Providers;
using SmsMcp.Infrastructure.Storage;
using SmsMcp.Infrastructure.Storage.AuditHeads;

namespace SmsMcp.Infrastructure.Hosting;

public static class SmsMcpCoreServiceCollectionExtensions
{
    /// <summary>
    /// Everything the send walk needs — storage, audit, provider, policy, lookup guard, pipeline, and the watchdog that watches it — the same for HTTP and stdio. Refuses
    /// (throws) while a setting holds an unresolved App Service Key Vault reference (<see cref="KeyVaultReferenceGuard"/>), or
    /// while a retired <c>Pricing:*</c> setting is still set (<see cref="RetiredPricingSettingsGuard"/>).
    /// </summary>
    public static IServiceCollection AddSmsMcpCore(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        // Before anything binds a setting: a reference string must never be taken for the secret it names.
        KeyVaultReferenceGuard.ThrowIfUnresolved(configuration);
        RetiredPricingSettingsGuard.ThrowIfSet(configuration);
        return services
            .AddSmsStorage(configuration, environment)
            .AddSmsAudit(configuration, environment)
            .AddAuditHeads(configuration)
            .AddSmsProvider(configuration, environment)
            .AddSmsPolicy(configuration, environment)
            .AddSmsLookup(configuration)
            .AddSmsQuotas(configuration)
            .AddSmsSending(configuration)
            .AddSmsConfirmation(configuration)
            .AddSmsDelivery(configuration)
            .AddSmsWatchdog()
            .AddAlertChannels(configuration, environment);
    }
}
