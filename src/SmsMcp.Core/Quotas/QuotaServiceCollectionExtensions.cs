using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Quotas;

public static class QuotaServiceCollectionExtensions
{
    /// <summary>The quota ledger and the gate the send pipeline reserves through. Needs <c>AddSmsPolicy</c> and storage.</summary>
    public static IServiceCollection AddSmsQuotas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuotaOptions>()
            .Bind(configuration.GetSection(QuotaOptions.SectionName))
            .Validate(o => o.ContentionDeadline >= TimeSpan.FromSeconds(1) && o.ContentionDeadline <= TimeSpan.FromSeconds(60),
                "Quotas:ContentionDeadline must be between 00:00:01 and 00:01:00.")
            .ValidateOnStart();
        services.AddSingleton<QuotaPlanner>();
        services.AddSingleton<QuotaLedger>();
        services.AddTable(QuotaLedger.Table);
        services.AddSingleton<QuotaGate>();
        return services;
    }
}
