using SmsMcp.Core.Policy;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// Everything one scan's detectors look at, read up front: a fixed number of hourly buckets (the current hour, the
/// confirmation window and each of their baseline hours), the callers' known regions, spend against caps, the approval
/// queue and the watchdog's own heartbeat. Its size depends on the rules and the active callers, never on history.
/// </summary>
public sealed class ScanSnapshot
{
    /// <summary>When the scan looks from (the timer's period start).</summary>
    public required DateTimeOffset At { get; init; }

    public required SendPolicy Policy { get; init; }

    public WatchdogRules Rules => Policy.Watchdog;

    /// <summary>Hour start → caller → bucket, for every hour the rules need (absent hours read as empty).</summary>
    public required IReadOnlyDictionary<DateTimeOffset, IReadOnlyDictionary<string, TrafficBucket>> Hours { get; init; }

    /// <summary>Caller → regions it sent to before this hour; a caller absent here is new to the watchdog (for its first day it learns, never alarms).</summary>
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> KnownCountries { get; init; }

    /// <summary>Caller → its spend against its caps (only callers with a spend cap and spend in the last two hours).</summary>
    public required IReadOnlyDictionary<string, CallerSpend> Spend { get; init; }

    /// <summary>Pending first-contact approvals.</summary>
    public required int PendingApprovals { get; init; }

    /// <summary>The last scan that completed before this one, and how many failed since; null when none ever did.</summary>
    public required DateTimeOffset? LastScan { get; init; }

    public required int FailedScans { get; init; }

    public DateTimeOffset CurrentHour => TrafficCounters.PeriodStart(At);

    /// <summary>The buckets of the hour starting at <paramref name="hour"/>.</summary>
    public IReadOnlyDictionary<string, TrafficBucket> Hour(DateTimeOffset hour) =>
        Hours.TryGetValue(hour, out var buckets) ? buckets : Empty;

    /// <summary>One caller's bucket of the hour starting at <paramref name="hour"/> (empty when none).</summary>
    public TrafficBucket Bucket(string callerId, DateTimeOffset hour) =>
        Hour(hour).TryGetValue(callerId, out var bucket) ? bucket : EmptyBucket;

    private static readonly IReadOnlyDictionary<string, TrafficBucket> Empty = new Dictionary<string, TrafficBucket>();
    private static readonly TrafficBucket EmptyBucket = new();
}
