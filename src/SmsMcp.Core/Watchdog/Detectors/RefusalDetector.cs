using SmsMcp.Core.Policy;
using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// One caller collecting refusals: a model being steered to probe the policy. Refusals that say nothing about the
/// caller (storage down, a hung-up request) do not count.
/// </summary>
public sealed class RefusalDetector : IDetector
{
    private static readonly HashSet<string> NotTheCallers = [ReasonCodes.StorageUnavailable, ReasonCodes.Cancelled, ReasonCodes.ProviderFailed, ReasonCodes.ProviderRateLimited, ReasonCodes.ProviderCredentials, ReasonCodes.LookupUnavailable];

    public IEnumerable<Finding> Detect(ScanSnapshot snapshot)
    {
        foreach (var (caller, bucket) in snapshot.Hour(snapshot.CurrentHour).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var refused = bucket.Refusals.Where(p => !NotTheCallers.Contains(p.Key)).ToList();
            var total = refused.Sum(p => p.Value);
            if (total >= snapshot.Rules.RefusalsPerPeriod)
            {
                var top = refused.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(3);
                yield return new Finding(WatchdogRule.RefusalSpike, Finding.CallerScope(caller), caller,
                    $"Caller {caller} was refused {total} times this hour (mostly {string.Join(", ", top.Select(p => p.Key))}).",
                    Facts.Of(("refusedThisHour", total), ("topReasons", string.Join(",", top.Select(p => $"{p.Key}:{p.Value}")))));
            }
        }
    }
}
