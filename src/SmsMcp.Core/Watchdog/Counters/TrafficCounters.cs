using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// The watchdog's traffic (<see cref="TrafficBucket"/> per caller and <see cref="Period"/>). The send and status paths
/// write it as insert-only watchdog events: one row per send, refusal or final status holding that one change, in the
/// <see cref="AuditLog.Table"/> day partition of its time, so it never contends with another write and can later share
/// the entity group transaction of the audit record it goes with. The scan turns events into buckets: it folds each
/// <see cref="TrafficSlices">slice</see> of a period, once no event of it can still come, into one row per caller in
/// the period's partition of <see cref="Table"/>, and reads the raw events of the slices not folded yet — so reading a
/// period stays one partition query plus one range query of the last minutes' events, whatever the history holds.
/// </summary>
/// <remarks>
/// A period's partition also keeps the counter rows written before events existed (and
/// <see cref="WriteAsync"/>'s synthetic history): a read adds them in.
/// </remarks>
public sealed class TrafficCounters(ITableStore store, SendPolicy policy, Pseudonymizer pseudonymizer, TimeProvider time, ILogger<TrafficCounters>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<TrafficCounters>.Instance;

    public const string Table = "WatchdogTraffic";

    /// <summary>The bucket width: an hour, so baselines line up with the hour of the week.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>The event property naming the caller (the others are <see cref="TrafficBucket"/>'s).</summary>
    internal const string CallerProperty = "CallerId";

    // Twilio's 21610 (recipient opted out), 30450 and 30453 (blocked by its SMS-pumping protection).
    private static readonly HashSet<int> BlockedErrorCodes = [21610, 30450, 30453];

    // An entity group transaction holds at most 100 writes.
    private const int MaxTransactionWrites = 100;

    /// <summary>The start of the period <paramref name="at"/> falls in (UTC, on the hour).</summary>
    public static DateTimeOffset PeriodStart(DateTimeOffset at) => UtcHour.Of(at);

    /// <summary>The partition of the period starting at <paramref name="periodStart"/>; fixed-width, so ordinal order is time order.</summary>
    public static string PeriodKey(DateTimeOffset periodStart) =>
        "h" + PeriodStart(periodStart).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>
    /// The event of one send attempt as the walk ended: refused (by reason), held for approval, or sent (segments,
    /// estimated spend, region and 100-number block). Dry runs and idempotent replays count as attempts only: nothing
    /// went out. <paramref name="at"/> is the walk's audit record time, so the event lands in that record's partition.
    /// </summary>
    /// <param name="caller">Who sent.</param>
    /// <param name="evaluation">What the walk resolved; needed only for a send that went out (its region, block and spend).</param>
    /// <param name="outcome">How the walk ended.</param>
    /// <param name="at">The walk's audit record time.</param>
    public TableWrite SendEvent(CallerIdentity caller, SendEvaluation? evaluation, SendOutcome outcome, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(outcome);
        var number = evaluation?.Recipient?.Number;
        var sent = outcome.Result is { DryRun: false, Replayed: false } result && result.Status != MessageStatus.PendingApproval;
        var bucket = new TrafficBucket { Attempts = 1 };
        if (outcome.Refusal is { } refusal)
        {
            bucket.Refusals[refusal.Code] = 1;
        }
        else if (outcome.Result!.Status == MessageStatus.PendingApproval)
        {
            bucket.Held = 1;
        }
        else if (sent && number is not null)
        {
            bucket.Sent = 1;
            bucket.Segments = outcome.Result.Segments;
            bucket.SpendMicros = policy.Pricing.Estimate(number.Region, outcome.Result.Segments) is { } cost ? (long)(cost.Amount * 1_000_000m) : 0;
            bucket.Countries[number.Region] = 1;
            bucket.AddPrefix(pseudonymizer.Prefix(number.E164[..^2]), ((number.E164[^2] - '0') * 10) + (number.E164[^1] - '0'));
        }

        return Event(caller.Id, at, bucket);
    }

    /// <summary>
    /// The event of one <c>send_sms</c> refused before the send walk ran (its arguments, its grant, or the client
    /// confirmation): an attempt and a refusal by reason, so a model steered into probing shows in the refusal counts
    /// whichever guard caught it.
    /// </summary>
    public TableWrite RefusalEvent(string callerId, string reasonCode, DateTimeOffset at)
    {
        var bucket = new TrafficBucket { Attempts = 1 };
        bucket.Refusals[reasonCode] = 1;
        return Event(callerId, at, bucket);
    }

    /// <summary>The event of one message reaching a final carrier status (delivered, undelivered, or failed — denied and expired count as failed).</summary>
    public TableWrite DeliveryEvent(string callerId, MessageStatus status, int? errorCode, bool optedOut, DateTimeOffset at)
    {
        var bucket = new TrafficBucket();
        switch (status)
        {
            case MessageStatus.Delivered:
                bucket.Delivered = 1;
                break;
            case MessageStatus.Undelivered:
                bucket.Undelivered = 1;
                break;
            case MessageStatus.Failed or MessageStatus.Denied or MessageStatus.Expired:
                bucket.Failed = 1;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Only final carrier statuses are counted.");
        }

        if (optedOut || (errorCode is { } code && BlockedErrorCodes.Contains(code)))
        {
            bucket.BlockedErrors = 1;
        }

        return Event(callerId, at, bucket);
    }

    /// <summary>Stores <see cref="SendEvent"/> on its own (one insert).</summary>
    public Task RecordSendAsync(CallerIdentity caller, SendEvaluation evaluation, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        InsertAsync(SendEvent(caller, evaluation, outcome, at), cancellationToken);

    /// <summary>Stores <see cref="RefusalEvent"/> on its own (one insert).</summary>
    public Task RecordRefusalAsync(string callerId, string reasonCode, DateTimeOffset at, CancellationToken cancellationToken) =>
        InsertAsync(RefusalEvent(callerId, reasonCode, at), cancellationToken);

    /// <summary>Stores <see cref="DeliveryEvent"/> on its own (one insert).</summary>
    public Task RecordDeliveryAsync(string callerId, MessageStatus status, int? errorCode, bool optedOut, DateTimeOffset at, CancellationToken cancellationToken) =>
        InsertAsync(DeliveryEvent(callerId, status, errorCode, optedOut, at), cancellationToken);

    /// <summary>
    /// Writes an audit record with its watchdog event: one entity group transaction when the event falls in the record's
    /// day partition (<paramref name="auditPartition"/>; always, unless the event was re-stamped as late), else two
    /// concurrent writes. <paramref name="writeAudit"/> writes the record with the writes it is given alongside. When the
    /// transaction fails the event is tried alone: its row key is fixed, so a transaction that landed after all (its
    /// answer lost) is not counted twice. Returns what failed, each null when stored; throws nothing a store throws.
    /// </summary>
    public async Task<(StorageException? Audit, StorageException? Event)> WriteWithAuditAsync(
        string auditPartition, TableWrite watchdogEvent, Func<IReadOnlyList<TableWrite>, Task> writeAudit)
    {
        ArgumentNullException.ThrowIfNull(watchdogEvent);
        ArgumentNullException.ThrowIfNull(writeAudit);
        if (string.Equals(watchdogEvent.Entity.PartitionKey, auditPartition, StringComparison.Ordinal))
        {
            try
            {
                await writeAudit([watchdogEvent]);
                return (null, null);
            }
            catch (StorageException e)
            {
                return (e, await TryInsertAsync(watchdogEvent));
            }
        }

        var alone = TryInsertAsync(watchdogEvent);
        StorageException? auditError = null;
        try
        {
            await writeAudit([]);
        }
        catch (StorageException e)
        {
            auditError = e;
        }

        return (auditError, await alone);
    }

    /// <summary>Stores an event built here on its own; the store's error, or null.</summary>
    public async Task<StorageException?> TryInsertAsync(TableWrite watchdogEvent)
    {
        try
        {
            await InsertAsync(watchdogEvent, CancellationToken.None);
            return null;
        }
        catch (StorageException e)
        {
            return e;
        }
    }

    /// <summary>Every caller's bucket of the period starting at <paramref name="periodStart"/>; reads only.</summary>
    public Task<IReadOnlyDictionary<string, TrafficBucket>> ReadPeriodAsync(DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        ReadPeriodAsync(periodStart, foldAt: null, cancellationToken);

    /// <summary>
    /// What <see cref="ReadPeriodAsync(DateTimeOffset, CancellationToken)"/> reads, for a scan at <paramref name="at"/>:
    /// it also folds the slices it read from their events that no event can reach any more.
    /// </summary>
    public Task<IReadOnlyDictionary<string, TrafficBucket>> ScanPeriodAsync(DateTimeOffset periodStart, DateTimeOffset at, CancellationToken cancellationToken) =>
        ReadPeriodAsync(periodStart, at, cancellationToken);

    /// <summary>One caller's bucket of the period starting at <paramref name="periodStart"/> (empty when none).</summary>
    public async Task<TrafficBucket> ReadAsync(string callerId, DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        (await ReadPeriodAsync(periodStart, cancellationToken)).GetValueOrDefault(callerId) ?? new TrafficBucket();

    /// <summary>Writes a whole bucket as a counter row of the caller (synthetic history for tests and benchmarks; a scan never writes here).</summary>
    public Task WriteAsync(string callerId, DateTimeOffset periodStart, TrafficBucket bucket, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(PeriodKey(periodStart), callerId + "|0", bucket.ToProperties()), cancellationToken);

    private TableWrite Event(string callerId, DateTimeOffset at, TrafficBucket bucket)
    {
        // An event is never stamped older than MaxEventLag, so it cannot land in a slice a scan already folded
        // (TrafficSlices): one that would be is counted where it is written instead.
        var now = time.GetUtcNow();
        var stamped = (now - at > TrafficSlices.MaxEventLag ? now : at).ToUniversalTime();
        var properties = new Dictionary<string, object>(StringComparer.Ordinal) { [CallerProperty] = callerId };
        foreach (var (name, value) in bucket.ToProperties().Where(p => p.Value is not (0L or "")))
        {
            properties[name] = value;
        }

        return TableWrite.Insert(new TableEntity(AuditLog.PartitionOf(stamped), TrafficRowKeys.Event(stamped), properties));
    }

    private async Task InsertAsync(TableWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await store.InsertAsync(AuditLog.Table, write.Entity, cancellationToken);
        }
        catch (EntityAlreadyExistsException)
        {
            // The row key is fresh: only the transport's retry of our own landed insert can find it taken.
        }
    }

    // On a slice marker: how many fold rows (one per caller) its fold wrote.
    private const string FoldedCallersProperty = "Callers";

    private async Task<IReadOnlyDictionary<string, TrafficBucket>> ReadPeriodAsync(DateTimeOffset periodStart, DateTimeOffset? foldAt, CancellationToken cancellationToken)
    {
        var period = PeriodStart(periodStart);
        var buckets = new Dictionary<string, TrafficBucket>(StringComparer.Ordinal);
        var folds = new List<(int Slice, string CallerId, TrafficBucket Bucket)>();
        var markers = new Dictionary<int, int>();
        await foreach (var entity in store.QueryAllAsync(Table, PeriodKey(period), null, null, 1000, cancellationToken))
        {
            var row = TrafficRowKeys.Parse(entity.RowKey);
            switch (row.Kind)
            {
                case TrafficRowKind.Marker:
                    markers[row.Slice] = entity.Properties.ContainsKey(FoldedCallersProperty) ? entity.Get<int>(FoldedCallersProperty) : -1;
                    break;
                case TrafficRowKind.Fold:
                    folds.Add((row.Slice, row.CallerId!, TrafficBucket.Read(entity)));
                    break;
                default:
                    Add(buckets, row.CallerId!, TrafficBucket.Read(entity));
                    break;
            }
        }

        // Fold rows count only under their slice's marker, and only when all of them were seen: rows without a marker are
        // what a fold that failed halfway left, and a partition read a page at a time is no snapshot, so a fold that
        // landed between two pages can show its marker without its rows. Either way the slice is read from its events.
        var seen = folds.GroupBy(f => f.Slice).ToDictionary(g => g.Key, g => g.Count());
        var folded = markers.Where(m => m.Value == seen.GetValueOrDefault(m.Key)).Select(m => m.Key).ToHashSet();
        foreach (var (_, callerId, bucket) in folds.Where(f => folded.Contains(f.Slice)))
        {
            Add(buckets, callerId, bucket);
        }

        var open = Enumerable.Range(0, TrafficSlices.PerPeriod).Where(s => !folded.Contains(s)).ToList();
        var slices = await ReadSlicesAsync(period, open, cancellationToken);
        foreach (var (_, callers) in slices)
        {
            foreach (var (callerId, bucket) in callers)
            {
                Add(buckets, callerId, bucket);
            }
        }

        if (foldAt is { } at && open.Where(s => TrafficSlices.Foldable(period, s, at)).ToList() is { Count: > 0 } foldable)
        {
            try
            {
                await FoldAsync(period, foldable, slices, cancellationToken);
            }
            catch (StorageException e)
            {
                // What was read stands: a fold only saves later reads the events, and the next scan folds the slice again.
                _logger.LogWarning(e, "Watchdog traffic of period {Period} could not be folded; the next scan tries again.", PeriodKey(period));
            }
        }

        foreach (var bucket in buckets.Values)
        {
            bucket.Trim();
        }

        return buckets;
    }

    /// <summary>
    /// The buckets of slices <paramref name="open"/> of a period, from their events: one range query of the audit day
    /// partition per run of consecutive slices. Each slice's buckets are trimmed as its fold rows are, so a slice reads the
    /// same folded or not.
    /// </summary>
    private async Task<Dictionary<int, Dictionary<string, TrafficBucket>>> ReadSlicesAsync(DateTimeOffset period, List<int> open, CancellationToken cancellationToken)
    {
        var runs = new List<(int First, int Last)>();
        foreach (var slice in open)
        {
            if (runs.Count > 0 && runs[^1].Last == slice - 1)
            {
                runs[^1] = (runs[^1].First, slice);
            }
            else
            {
                runs.Add((slice, slice));
            }
        }

        var partition = AuditLog.PartitionOf(period);
        var read = await Task.WhenAll(runs.Select(async run =>
        {
            var events = new List<TableEntity>();
            await foreach (var entity in store.QueryAllAsync(AuditLog.Table, partition,
                TrafficRowKeys.EventBound(TrafficSlices.Start(period, run.First)), TrafficRowKeys.EventBound(TrafficSlices.Start(period, run.Last + 1)), 1000, cancellationToken))
            {
                events.Add(entity);
            }

            return events;
        }));

        var slices = open.ToDictionary(s => s, _ => new Dictionary<string, TrafficBucket>(StringComparer.Ordinal));
        foreach (var entity in read.SelectMany(e => e))
        {
            if (TrafficRowKeys.EventTime(entity.RowKey) is { } at && entity.Get<string>(CallerProperty) is { Length: > 0 } callerId)
            {
                Add(slices[TrafficSlices.Of(at)], callerId, TrafficBucket.Read(entity));
            }
        }

        foreach (var bucket in slices.Values.SelectMany(s => s.Values))
        {
            bucket.Trim();
        }

        return slices;
    }

    /// <summary>
    /// Stores the fold of each slice of <paramref name="foldable"/>: its callers' rows, then its marker. The rows are a
    /// function of the slice's events, which no longer change, so two scanners or a retry write the same rows; written in
    /// order (transactions of up to 100 rows), a marker is never stored before its slice's rows.
    /// </summary>
    private async Task FoldAsync(DateTimeOffset period, List<int> foldable, Dictionary<int, Dictionary<string, TrafficBucket>> slices, CancellationToken cancellationToken)
    {
        var partition = PeriodKey(period);
        var writes = new List<TableWrite>();
        foreach (var slice in foldable)
        {
            foreach (var (callerId, bucket) in slices[slice].OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writes.Add(TableWrite.Upsert(new TableEntity(partition, TrafficRowKeys.Fold(slice, callerId), bucket.ToProperties())));
            }

            writes.Add(TableWrite.Upsert(new TableEntity(partition, TrafficRowKeys.Marker(slice),
                new Dictionary<string, object>(StringComparer.Ordinal) { [FoldedCallersProperty] = slices[slice].Count })));
        }

        foreach (var chunk in writes.Chunk(MaxTransactionWrites))
        {
            await store.SubmitTransactionAsync(Table, chunk, cancellationToken);
        }
    }

    // Merges into a bucket of its own: a slice's bucket is also what its fold row stores.
    private static void Add(Dictionary<string, TrafficBucket> buckets, string callerId, TrafficBucket bucket)
    {
        if (!buckets.TryGetValue(callerId, out var known))
        {
            buckets[callerId] = known = new TrafficBucket();
        }

        known.Merge(bucket);
    }
}
