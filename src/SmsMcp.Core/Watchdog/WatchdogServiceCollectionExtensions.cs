using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Watchdog;

public static class WatchdogServiceCollectionExtensions
{
    /// <summary>
    /// The anomaly scan (<see cref="IAnomalyScan"/>), its detectors, incident store and alert dispatcher. The channels
    /// (<see cref="IAlertChannel"/>) are adapters registered by the host's composition; with none, alerts are still
    /// logged and counted on the metric.
    /// </summary>
    public static IServiceCollection AddSmsWatchdog(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TrafficCounters>();
        services.AddTable(TrafficCounters.Table);
        // The watchdog events the scan folds live in the audit table's day partitions.
        services.AddTable(AuditLog.Table);
        services.AddSingleton<WatchdogState>();
        services.AddTable(WatchdogState.Table);
        services.AddSingleton<IncidentStore>();
        services.AddTable(IncidentStore.Table);
        services.AddSingleton<ScanReader>();
        services.AddSingleton<IDetector, VolumeDetector>();
        services.AddSingleton<IDetector, CountryDetector>();
        services.AddSingleton<IDetector, SpendDetector>();
        services.AddSingleton<IDetector, PumpingDetector>();
        services.AddSingleton<IDetector, RefusalDetector>();
        services.AddSingleton<IDetector, OperationsDetector>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<IAnomalyScan, AnomalyScan>();
        return services;
    }
}
