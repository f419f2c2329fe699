using SmsMcp.Core.Approvals;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Watchdog;

/// <summary>
/// Reads what one scan looks at (<see cref="ScanSnapshot"/>): a fixed set of hourly partitions (the confirmation window
/// and the same hour of each baseline day: 3 × (1 + 7) = 24 with the defaults), the watchdog's state, the approval
/// queue, and the quota ledger of each caller that spent recently under a spend cap. Nothing here grows with history.
/// </summary>
public sealed class ScanReader(TrafficCounters traffic, WatchdogState state, ApprovalStore approvals, QuotaGate quotas, SendPolicy policy)
{
    private const int MaxPendingRead = 1000;

    public async Task<ScanSnapshot> ReadAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var rules = policy.Watchdog;
        var current = TrafficCounters.PeriodStart(at);
        var hours = Enumerable.Range(0, Math.Max(rules.VolumeWindow, 2))
            .Select(i => current - TimeSpan.FromHours(i))
            .SelectMany(h => Enumerable.Range(0, rules.VolumeBaselineDays + 1).Select(d => h - TimeSpan.FromDays(d)))
            .Distinct()
            .ToList();
        var read = await Task.WhenAll(hours.Select(async h => (Hour: h, Buckets: await traffic.ScanPeriodAsync(h, at, cancellationToken))));
        var byHour = read.ToDictionary(r => r.Hour, r => r.Buckets);

        var known = await state.ReadCountriesAsync(at, cancellationToken);
        var (lastScan, failed) = await state.ReadHeartbeatAsync(cancellationToken);
        var pending = await approvals.ListPendingAsync(at - ApprovalOptions.MaximumLifetime, MaxPendingRead, cancellationToken);
        return new ScanSnapshot
        {
            At = at,
            Policy = policy,
            Hours = byHour,
            KnownCountries = known,
            Spend = await ReadSpendAsync(byHour, current, at, cancellationToken),
            PendingApprovals = pending.Count(p => p.ExpiresAt > at),
            LastScan = lastScan,
            FailedScans = failed,
        };
    }

    private async Task<IReadOnlyDictionary<string, CallerSpend>> ReadSpendAsync(
        Dictionary<DateTimeOffset, IReadOnlyDictionary<string, TrafficBucket>> hours, DateTimeOffset current, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var previous = current - TrafficCounters.Period;
        var recent = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var hour in new[] { current, previous })
        {
            foreach (var (caller, bucket) in hours[hour])
            {
                recent[caller] = recent.GetValueOrDefault(caller) + bucket.SpendMicros;
            }
        }

        // The rate is taken over the previous hour and the elapsed part of this one: a steady rate, not a one-minute blip.
        var span = at - previous;
        var spend = new Dictionary<string, CallerSpend>(StringComparer.Ordinal);
        foreach (var (caller, micros) in recent.Where(r => r.Value > 0))
        {
            if (policy.ProfileFor(caller)?.Quotas is not { } declared || (declared.SpendPerDay is null && declared.SpendPerMonth is null))
            {
                continue;
            }

            var usage = await quotas.UsageAsync(new CallerIdentity(caller), cancellationToken);
            spend[caller] = new CallerSpend(usage.Today.SpendMicros, usage.ThisMonth.SpendMicros,
                declared.SpendPerDay is { } day ? QuotaMoney.ToMicros(day) : null,
                declared.SpendPerMonth is { } month ? QuotaMoney.ToMicros(month) : null,
                micros, span);
        }

        return spend;
    }
}
