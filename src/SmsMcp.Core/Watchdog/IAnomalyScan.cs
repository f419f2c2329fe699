namespace SmsMcp.Core.Watchdog;

/// <summary>
/// The watchdog's job, for whatever schedules it (the Functions timer, the standalone server's in-process schedule):
/// scan the counters as of <c>periodStart</c>, raise and resolve alerts, suspend callers on critical findings. Safe to
/// run twice for one period, concurrently or not: the second run sends nothing the first sent.
/// </summary>
public interface IAnomalyScan
{
    Task<ScanReport> RunAsync(DateTimeOffset periodStart, CancellationToken cancellationToken);
}
