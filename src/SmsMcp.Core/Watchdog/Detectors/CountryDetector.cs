using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// Destinations: the first traffic of a caller to a region it never used (<see cref="WatchdogRule.NewCountry"/>; for its
/// first day the watchdog learns a caller's regions silently), and any traffic to a high-cost region
/// (<see cref="WatchdogRule.HighCostCountry"/>: listed in <c>countries.highCost</c> or priced at or above
/// <c>countries.highCostPricePerSegment</c>), scoped per caller and region.
/// </summary>
public sealed class CountryDetector : IDetector
{
    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        foreach (var (caller, bucket) in snapshot.Hour(snapshot.CurrentHour).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var (region, sent) in bucket.Countries.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var scope = $"{Finding.CallerScope(caller)}:region:{region}";
                if (snapshot.Rules.IsHighCost(region, snapshot.Policy.Pricing))
                {
                    yield return new Finding(WatchdogRule.HighCostCountry, scope, caller,
                        $"Caller {caller} sent {sent} message(s) to high-cost region {region} this hour.", Facts.Of(("region", region), ("sentThisHour", sent)));
                }

                if (snapshot.Rules.AlertOnNewCountry && snapshot.KnownCountries.TryGetValue(caller, out var known) && !known.Contains(region))
                {
                    yield return new Finding(WatchdogRule.NewCountry, scope, caller,
                        $"Caller {caller} sent to region {region} for the first time.", Facts.Of(("region", region), ("sentThisHour", sent)));
                }
            }
        }
    }
}
