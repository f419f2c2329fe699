using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Watchdog;

/// <summary>
/// What the watchdog remembers between scans: each caller's known regions (to spot a first), its heartbeat (to spot
/// itself going silent), and the on-call SMS budget of the day. Regions and budget change through
/// <see cref="OptimisticUpdate"/>, so concurrent scans merge instead of overwriting each other.
/// </summary>
public sealed class WatchdogState(ITableStore store)
{
    public const string Table = "WatchdogState";
    private const string CountriesPartition = "countries";
    private const string HeartbeatPartition = "heartbeat";
    private const string OnCallPartition = "oncall";
    private const string HeartbeatRow = "scan";
    private const int MaxAttempts = 32;

    /// <summary>How long the watchdog learns a newly seen caller's regions before a new one is news.</summary>
    public static readonly TimeSpan LearningPeriod = TimeSpan.FromDays(1);

    /// <summary>
    /// Caller → regions it is known to have sent to, for callers the watchdog has known for at least
    /// <see cref="LearningPeriod"/> before <paramref name="at"/> (the others are still learning).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> ReadCountriesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(Table, CountriesPartition, null, null, 1000, cancellationToken))
        {
            if (row.Get<DateTimeOffset>("Since") > at - LearningPeriod)
            {
                continue;
            }

            known[row.RowKey] = (row.Get<string>("Regions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }

        return known;
    }

    /// <summary>
    /// Adds each caller's <paramref name="regionsByCaller"/> to its known regions (first seen at <paramref name="at"/> when
    /// new). All callers' rows share one partition, so a scan's learning is one entity group transaction (per 100 callers)
    /// after reading the rows together, instead of a read and a write per caller one after another.
    /// </summary>
    public async Task LearnCountriesAsync(IReadOnlyDictionary<string, IReadOnlyCollection<string>> regionsByCaller, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regionsByCaller);
        if (regionsByCaller.Count == 0)
        {
            return;
        }

        await OptimisticUpdate.ApplyToPartitionAsync(store, Table, CountriesPartition, [.. regionsByCaller.Keys], known: null, (callerId, current) =>
        {
            var adding = regionsByCaller[callerId];
            var known = (current?.Get<string>("Regions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return current is not null && adding.All(known.Contains)
                ? null
                : new Dictionary<string, object>
                {
                    ["Regions"] = string.Join(',', known.Union(adding).Order(StringComparer.Ordinal)),
                    ["Since"] = current?.Get<DateTimeOffset>("Since") is { } since && since != default && since < at ? since : at,
                };
        }, MaxAttempts, cancellationToken);
    }

    /// <summary>The last completed scan's period start, and how many scans failed since.</summary>
    public async Task<(DateTimeOffset? LastScan, int FailedScans)> ReadHeartbeatAsync(CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(Table, HeartbeatPartition, HeartbeatRow, cancellationToken);
        return (row?.Get<DateTimeOffset>("LastScan") is { } last && last != default ? last : null, row?.Get<int>("FailedScans") ?? 0);
    }

    /// <summary>Records a completed scan of <paramref name="at"/> (never moving the heartbeat backwards).</summary>
    public Task BeatAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        OptimisticUpdate.ApplyAsync(store, Table, HeartbeatPartition, HeartbeatRow, current =>
            current?.Get<DateTimeOffset>("LastScan") > at && current.Get<int>("FailedScans") == 0
                ? null
                : new Dictionary<string, object> { ["LastScan"] = current?.Get<DateTimeOffset>("LastScan") > at ? current.Get<DateTimeOffset>("LastScan") : at, ["FailedScans"] = 0 },
            MaxAttempts, cancellationToken);

    /// <summary>Records a failed scan.</summary>
    public Task FailedAsync(CancellationToken cancellationToken) =>
        OptimisticUpdate.ApplyAsync(store, Table, HeartbeatPartition, HeartbeatRow, current => new Dictionary<string, object>
        {
            ["LastScan"] = current?.Get<DateTimeOffset>("LastScan") ?? default,
            ["FailedScans"] = (current?.Get<int>("FailedScans") ?? 0) + 1,
        }, MaxAttempts, cancellationToken);

    /// <summary>Takes one on-call text from the day's budget of <paramref name="perDay"/>; false when it is used up.</summary>
    public Task<bool> TakeOnCallTextAsync(DateOnly day, long perDay, CancellationToken cancellationToken) =>
        OptimisticUpdate.ApplyAsync(store, Table, OnCallPartition, day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), current =>
            (current?.Get<long>("Sent") ?? 0) >= perDay ? null : new Dictionary<string, object> { ["Sent"] = (current?.Get<long>("Sent") ?? 0) + 1 },
            MaxAttempts, cancellationToken);
}
