using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// SMS-pumping signatures in one caller's hour: many distinct numbers of one 100-number block, a run of adjacent numbers,
/// more blocks than a bucket tracks, or a burst of opt-out and fraud-block errors (<see cref="WatchdogRule.SmsPumping"/>,
/// a hard rule); and a rising share of undelivered messages (<see cref="WatchdogRule.UndeliveredRise"/>, a softer one).
/// </summary>
public sealed class PumpingDetector : IDetector
{
    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        var rules = snapshot.Rules;
        foreach (var (caller, bucket) in snapshot.Hour(snapshot.CurrentHour).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var widest = bucket.Prefixes.Values.DefaultIfEmpty().MaxBy(t => t.DistinctNumbers);
            var longestRun = bucket.Prefixes.Values.Select(t => t.LongestRun).DefaultIfEmpty().Max();
            var signs = new List<string>();
            if (widest.DistinctNumbers >= rules.PumpingDistinctPerPrefix)
            {
                signs.Add("distinct numbers in one block");
            }

            if (longestRun >= rules.PumpingAdjacentRun)
            {
                signs.Add("adjacent numbers");
            }

            if (bucket.PrefixOverflow > 0)
            {
                signs.Add("more blocks than tracked");
            }

            if (bucket.BlockedErrors >= rules.PumpingBlockedErrors)
            {
                signs.Add("opt-out and fraud-block errors");
            }

            if (signs.Count > 0)
            {
                yield return new Finding(WatchdogRule.SmsPumping, Finding.CallerScope(caller), caller,
                    $"Caller {caller} shows an SMS-pumping signature this hour: {string.Join(", ", signs)}.",
                    Facts.Of(("maxDistinctInBlock", widest.DistinctNumbers), ("longestAdjacentRun", longestRun),
                        ("blocksOverflowed", bucket.PrefixOverflow), ("blockedErrors", bucket.BlockedErrors)));
            }

            var failed = bucket.Undelivered + bucket.Failed;
            if (bucket.Settled >= rules.UndeliveredMinSettled && failed * 100 >= rules.UndeliveredSharePercent * bucket.Settled)
            {
                yield return new Finding(WatchdogRule.UndeliveredRise, Finding.CallerScope(caller), caller,
                    $"Caller {caller}: {failed} of {bucket.Settled} messages settled this hour were not delivered.",
                    Facts.Of(("undelivered", failed), ("settled", bucket.Settled)));
            }
        }
    }
}
