using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// Spend rate: at the rate of the recent window, would the caller's spend cross its daily or monthly cap within
/// <see cref="WatchdogRules.SpendHorizon"/>? Only callers spending now are judged, so a caller at rest never alarms.
/// </summary>
public sealed class SpendDetector : IDetector
{
    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        foreach (var (caller, spend) in snapshot.Spend.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (spend.RecentMicros <= 0 || spend.RecentSpan <= TimeSpan.Zero)
            {
                continue;
            }

            var projected = (long)(spend.RecentMicros * (snapshot.Rules.SpendHorizon / spend.RecentSpan));
            var cap = (spend.DayCapMicros, spend.MonthCapMicros) switch
            {
                ({ } day, _) when spend.DayMicros + projected >= day => ("daily", day, spend.DayMicros),
                (_, { } month) when spend.MonthMicros + projected >= month => ("monthly", month, spend.MonthMicros),
                _ => default((string, long, long)?),
            };
            if (cap is var (name, limit, used))
            {
                yield return new Finding(WatchdogRule.SpendCap, Finding.CallerScope(caller), caller,
                    $"Caller {caller} is on course to cross its {name} spend cap within {snapshot.Rules.SpendHorizon.TotalMinutes:0} minutes.",
                    Facts.Of(("cap", name), ("usedMicros", used), ("capMicros", limit), ("projectedMicros", projected)));
            }
        }
    }
}
