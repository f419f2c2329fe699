using SmsMcp.Core.Watchdog;

namespace SmsMcp.Http.Jobs;

/// <summary>
/// The timer job behind the <c>anomaly-scan</c> function: runs the watchdog's scan (<see cref="IAnomalyScan"/>) for the
/// timer period the invocation falls in. Periods are <see cref="Period"/> long (the function's schedule), so a retried
/// or duplicated invocation scans the same period and the scan's own dedupe keeps it from alerting twice.
/// </summary>
public sealed class AnomalyScanJob(IAnomalyScan scan, TimeProvider time)
{
    /// <summary>The timer's period (<see cref="ScheduledJobs"/>: every five minutes; a test holds the two equal).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var report = await scan.RunAsync(PeriodStart(time.GetUtcNow()), cancellationToken);
        return [report.Describe()];
    }

    /// <summary>The start of the timer period <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset PeriodStart(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % Period.Ticks), TimeSpan.Zero);
}
