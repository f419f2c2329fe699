namespace SmsMcp.Server.Hosting;

/// <summary>
/// Standalone mode's schedule for the anomaly scan: every <see cref="AnomalyScanJob.Period"/>, what the Functions timer
/// does in Azure. Off under the Functions host (which fires the <c>anomaly-scan</c> function itself) and when
/// <c>Watchdog:Schedule:Enabled</c> is false. A failed scan is logged and the next tick tries again; the scan itself
/// records the failure so the next one that completes reports the watchdog as failing.
/// </summary>
public sealed class WatchdogSchedule(AnomalyScanJob job, TimeProvider time, ILogger<WatchdogSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AnomalyScanJob.Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var line in await job.RunAsync(stoppingToken))
                {
                    logger.LogDebug("{Line}", line);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "The scheduled anomaly scan failed; the next period tries again.");
            }
        }
    }
}

/// <summary>Registration of <see cref="WatchdogSchedule"/>.</summary>
public static class WatchdogScheduleServiceCollectionExtensions
{
    public static IServiceCollection AddWatchdogSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        var underFunctionsHost = !string.IsNullOrEmpty(configuration[CustomHandlerBinding.PortVariable]);
        if (!underFunctionsHost && configuration.GetValue("Watchdog:Schedule:Enabled", true))
        {
            services.AddHostedService<WatchdogSchedule>();
        }

        return services;
    }
}
