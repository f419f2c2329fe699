using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SmsMcp.Core.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The status walk: <see cref="DeliveryStatusService"/> (callbacks and reconciliation apply through it), the failure
    /// counters and <see cref="StatusReconciler"/> with its options (<c>Reconciliation</c>, validated at start). The carrier
    /// side (<see cref="IMessageStatusFetcher"/>) is registered by the provider that has one.
    /// </summary>
    public static IServiceCollection AddSmsDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconciliationOptions>()
            .Bind(configuration.GetSection(ReconciliationOptions.SectionName))
            .Validate(o => o.MinimumAge >= TimeSpan.FromMinutes(1) && o.MinimumAge <= TimeSpan.FromHours(24),
                "Reconciliation:MinimumAge must be between 00:01:00 and 1.00:00:00.")
            .Validate(o => o.Lookback >= TimeSpan.FromHours(1) && o.Lookback <= TimeSpan.FromDays(14) && o.Lookback > o.MinimumAge,
                "Reconciliation:Lookback must be between 01:00:00 and 14.00:00:00 and longer than Reconciliation:MinimumAge.")
            .Validate(o => o.MaxFetchesPerRun is >= 1 and <= 5000, "Reconciliation:MaxFetchesPerRun must be between 1 and 5000.")
            .ValidateOnStart();
        services.AddSingleton<DeliveryStatusService>();
        services.AddSingleton<StatusReconciler>();
        return services;
    }
}
