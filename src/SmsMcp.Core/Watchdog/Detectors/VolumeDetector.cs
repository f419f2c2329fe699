using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// Volume against the caller's own baseline: an hour is high when its sends reach the floor, the ratio times the
/// median of the same hour on each of the last <see cref="WatchdogRules.VolumeBaselineDays"/> days, and the median plus
/// <see cref="WatchdogRules.VolumeMadMultiplier"/> scaled MADs (robust to the odd busy day). Fires when
/// <see cref="WatchdogRules.VolumeConfirm"/> of the last <see cref="WatchdogRules.VolumeWindow"/> hours (this one
/// included) are high. Statistical: never critical by default.
/// </summary>
public sealed class VolumeDetector : IDetector
{
    // MAD × 1.4826 estimates the standard deviation of normal data.
    private const double MadScale = 1.4826;

    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        var rules = snapshot.Rules;
        var window = Enumerable.Range(0, rules.VolumeWindow).Select(i => snapshot.CurrentHour - TimeSpan.FromHours(i)).ToList();
        var callers = window.SelectMany(h => snapshot.Hour(h).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var caller in callers)
        {
            var high = 0;
            long current = 0;
            double threshold = 0;
            foreach (var hour in window)
            {
                var sent = snapshot.Bucket(caller, hour).Sent;
                var limit = Threshold(snapshot, caller, hour);
                if (hour == snapshot.CurrentHour)
                {
                    (current, threshold) = (sent, limit);
                }

                if (sent >= limit)
                {
                    high++;
                }
            }

            if (high >= rules.VolumeConfirm)
            {
                yield return new Finding(WatchdogRule.VolumeSpike, Finding.CallerScope(caller), caller,
                    $"Caller {caller} sent far more than its usual volume in {high} of the last {rules.VolumeWindow} hours.",
                    Facts.Of(("sentThisHour", current), ("thresholdThisHour", Math.Ceiling(threshold)), ("highHours", high)));
            }
        }
    }

    /// <summary>The sends that make <paramref name="hour"/> high for <paramref name="caller"/>.</summary>
    public static double Threshold(ScanSnapshot snapshot, string caller, DateTimeOffset hour)
    {
        var rules = snapshot.Rules;
        var days = Enumerable.Range(1, rules.VolumeBaselineDays).Select(d => snapshot.Bucket(caller, hour - TimeSpan.FromDays(d))).ToList();
        var baseline = days.Select(b => (double)b.Sent).Order().ToArray();
        var median = Median(baseline);
        var mad = Median(baseline.Select(x => Math.Abs(x - median)).Order().ToArray());

        // Without a baseline (a new caller, or an hour it rarely used) the floor is raised by the ratio, so a newcomer's
        // ordinary first days do not alarm.
        var floor = days.Count(b => b.Attempts > 0) * 2 >= days.Count ? rules.VolumeFloor : rules.VolumeFloor * rules.VolumeRatio;
        return Math.Max(floor, Math.Max(rules.VolumeRatio * median, median + (rules.VolumeMadMultiplier * MadScale * mad)));
    }

    private static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
