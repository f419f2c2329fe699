using System.Collections.Concurrent;
using System.Globalization;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// The watchdog's time-bucketed counters (<see cref="TrafficBucket"/>), kept by the send and status paths: one
/// partition per <see cref="Period"/> holding one row per caller, so a scan reads a period of every caller in one
/// partition query, whatever the history holds. Each send or final status costs exactly one write here (change,
/// replace-if-match through <see cref="OptimisticUpdate"/>: concurrent instances never lose a count, and a write
/// retried after a lost answer never counts twice); the read before it only when this instance does not hold the row's
/// last ETag.
/// </summary>
public sealed class TrafficCounters(ITableStore store, SendPolicy policy, Pseudonymizer pseudonymizer)
{
    public const string Table = "WatchdogTraffic";

    /// <summary>The bucket width: an hour, so baselines line up with the hour of the week.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    // Each conflict means another writer succeeded, so N concurrent writers need at most N attempts.
    private const int MaxAttempts = 64;

    // A caller's hour is spread over this many rows (each write picks one at random, a read merges them), so a burst of
    // concurrent sends by one caller does not queue every send on one entity and load the store the quotas need.
    private const int Shards = 8;

    // Twilio's 21610 (recipient opted out), 30450 and 30453 (blocked by its SMS-pumping protection).
    private static readonly HashSet<int> BlockedErrorCodes = [21610, 30450, 30453];

    /// <summary>The start of the period <paramref name="at"/> falls in (UTC, on the hour).</summary>
    public static DateTimeOffset PeriodStart(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The partition of the period starting at <paramref name="periodStart"/>; fixed-width, so ordinal order is time order.</summary>
    public static string PeriodKey(DateTimeOffset periodStart) =>
        "h" + PeriodStart(periodStart).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>
    /// Counts one send attempt as the walk ended: refused (by reason), held for approval, or sent (segments, estimated
    /// spend, region and 100-number block). Dry runs and idempotent replays count as attempts only: nothing went out.
    /// </summary>
    public Task RecordSendAsync(CallerIdentity caller, SendEvaluation evaluation, SendOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var number = evaluation.Recipient?.Number;
        var sent = outcome.Result is { DryRun: false, Replayed: false } result && result.Status != MessageStatus.PendingApproval;
        var spend = sent && number is not null && policy.Pricing.Estimate(number.Region, outcome.Result!.Segments) is { } cost
            ? (long)(cost.Amount * 1_000_000m)
            : 0;
        var prefixRef = sent && number is not null ? pseudonymizer.Prefix(number.E164[..^2]) : null;
        var ending = number is null ? 0 : ((number.E164[^2] - '0') * 10) + (number.E164[^1] - '0');
        return UpdateAsync(caller.Id, at, bucket =>
        {
            bucket.Attempts++;
            if (outcome.Refusal is { } refusal)
            {
                bucket.Refusals[refusal.Code] = bucket.Refusals.GetValueOrDefault(refusal.Code) + 1;
            }
            else if (outcome.Result!.Status == MessageStatus.PendingApproval)
            {
                bucket.Held++;
            }
            else if (sent)
            {
                bucket.Sent++;
                bucket.Segments += outcome.Result.Segments;
                bucket.SpendMicros += spend;
                bucket.Countries[number!.Region] = bucket.Countries.GetValueOrDefault(number.Region) + 1;
                bucket.AddPrefix(prefixRef!, ending);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Counts one <c>send_sms</c> refused before the send walk ran (its arguments, its grant, or the client
    /// confirmation): an attempt and a refusal by reason, so a model steered into probing shows in the refusal counts
    /// whichever guard caught it.
    /// </summary>
    public Task RecordRefusalAsync(string callerId, string reasonCode, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(callerId, at, bucket =>
        {
            bucket.Attempts++;
            bucket.Refusals[reasonCode] = bucket.Refusals.GetValueOrDefault(reasonCode) + 1;
        }, cancellationToken);

    /// <summary>Counts one message reaching a final carrier status (delivered, undelivered, or failed — denied and expired count as failed) in the period of <paramref name="at"/>.</summary>
    public Task RecordDeliveryAsync(string callerId, MessageStatus status, int? errorCode, bool optedOut, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(callerId, at, bucket =>
        {
            switch (status)
            {
                case MessageStatus.Delivered:
                    bucket.Delivered++;
                    break;
                case MessageStatus.Undelivered:
                    bucket.Undelivered++;
                    break;
                case MessageStatus.Failed or MessageStatus.Denied or MessageStatus.Expired:
                    bucket.Failed++;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(status), status, "Only final carrier statuses are counted.");
            }

            if (optedOut || (errorCode is { } code && BlockedErrorCodes.Contains(code)))
            {
                bucket.BlockedErrors++;
            }
        }, cancellationToken);

    /// <summary>Every caller's bucket of the period starting at <paramref name="periodStart"/>.</summary>
    public async Task<IReadOnlyDictionary<string, TrafficBucket>> ReadPeriodAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var buckets = new Dictionary<string, TrafficBucket>(StringComparer.Ordinal);
        await foreach (var entity in store.QueryAllAsync(Table, PeriodKey(periodStart), null, null, 1000, cancellationToken))
        {
            var caller = CallerOf(entity.RowKey);
            if (buckets.TryGetValue(caller, out var bucket))
            {
                bucket.Merge(TrafficBucket.Read(entity));
            }
            else
            {
                buckets[caller] = TrafficBucket.Read(entity);
            }
        }

        return buckets;
    }

    /// <summary>One caller's bucket of the period starting at <paramref name="periodStart"/> (empty when none).</summary>
    public async Task<TrafficBucket> ReadAsync(string callerId, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var bucket = new TrafficBucket();
        await foreach (var entity in store.QueryAllAsync(Table, PeriodKey(periodStart), callerId + "|", callerId + "|~", 100, cancellationToken))
        {
            bucket.Merge(TrafficBucket.Read(entity));
        }

        return bucket;
    }

    /// <summary>Writes a whole bucket as the caller's first shard (synthetic history for tests and benchmarks; a scan never writes here).</summary>
    public Task WriteAsync(string callerId, DateTimeOffset periodStart, TrafficBucket bucket, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(PeriodKey(periodStart), callerId + "|0", bucket.ToProperties()), cancellationToken);

    private static string CallerOf(string rowKey) => rowKey[..rowKey.LastIndexOf('|')];

    /// <summary>
    /// Shard rows of the current period this instance wrote last and no write of its own is using now, with their ETags:
    /// a send takes one, so it can replace it without reading it first (one request instead of two) and concurrent sends
    /// in this instance never contend for one row. Another instance's write in between only turns the replace into a 412
    /// and a read (<see cref="OptimisticUpdate.ApplyFromAsync"/>). Holds at most the shards of the callers seen this period.
    /// </summary>
    private readonly ConcurrentDictionary<string, ConcurrentBag<TableEntity>> _idle = new(StringComparer.Ordinal);
    private string _idlePeriod = "";

    private async Task UpdateAsync(string callerId, DateTimeOffset at, Action<TrafficBucket> change, CancellationToken cancellationToken)
    {
        var period = PeriodKey(at);
        if (string.CompareOrdinal(period, Volatile.Read(ref _idlePeriod)) > 0)
        {
            // A new period: the rows of the last one are never written by sends again.
            Volatile.Write(ref _idlePeriod, period);
            _idle.Clear();
        }

        var key = period + "\n" + callerId;
        TableEntity? known = _idle.TryGetValue(key, out var idle) && idle.TryTake(out var taken) ? taken : null;
        var row = known?.RowKey ?? callerId + "|" + Random.Shared.Next(Shards).ToString(CultureInfo.InvariantCulture);
        // One write per step, so no transaction: a step's other writes are in other tables.
        var written = await OptimisticUpdate.ApplyFromAsync(store, Table, period, row, known, current =>
        {
            var bucket = TrafficBucket.Read(current);
            change(bucket);
            return bucket.ToProperties();
        }, MaxAttempts, cancellationToken);
        if (written is not null && string.Equals(Volatile.Read(ref _idlePeriod), period, StringComparison.Ordinal))
        {
            _idle.GetOrAdd(key, _ => []).Add(written);
        }
    }
}
