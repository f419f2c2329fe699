using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// The service's own state: a growing first-contact approval queue, and a silent watchdog (scans that failed, or a gap
/// since the last completed scan longer than <see cref="WatchdogRules.MaxSilence"/>).
/// </summary>
public sealed class OperationsDetector : IDetector
{
    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        if (snapshot.PendingApprovals >= snapshot.Rules.MaxPendingApprovals)
        {
            yield return new Finding(WatchdogRule.ApprovalQueue, "global", null,
                $"{snapshot.PendingApprovals} first-contact approvals are waiting for an operator.", Facts.Of(("pending", snapshot.PendingApprovals)));
        }

        var gap = snapshot.LastScan is { } last ? snapshot.At - last : TimeSpan.Zero;
        if (snapshot.FailedScans > 0 || gap > snapshot.Rules.MaxSilence)
        {
            yield return new Finding(WatchdogRule.WatchdogSilent, "global", null,
                snapshot.FailedScans > 0
                    ? $"The anomaly scan failed {snapshot.FailedScans} time(s) since it last completed."
                    : $"The anomaly scan did not run for {gap.TotalMinutes:0} minutes.",
                Facts.Of(("failedScans", snapshot.FailedScans), ("silentMinutes", Math.Round(gap.TotalMinutes))));
        }
    }
}
