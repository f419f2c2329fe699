using System.Globalization;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Delivery;

/// <summary>
/// Undelivered and failed messages per caller per UTC day (the day the carrier reported it), for the anomaly detectors:
/// a burst of failures is what SMS pumping and bad recipient lists look like. One partition per day holding a row per
/// caller, so a detector reads one day of every caller in one query and never scans messages. Increments go through
/// <see cref="OptimisticUpdate"/>: concurrent instances never lose a count, and a write retried after a lost response
/// never counts twice.
/// </summary>
public sealed class DeliveryFailureCounters(ITableStore store)
{
    public const string Table = "DeliveryFailures";
    // Each conflict means another writer succeeded, so N concurrent writers need at most N attempts: callbacks for one
    // caller can arrive in bursts of dozens.
    private const int MaxAttempts = 64;

    /// <summary>Counts one message that ended <paramref name="status"/> (undelivered or failed) at <paramref name="at"/>.</summary>
    public async Task AddAsync(string callerId, MessageStatus status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var undelivered = status switch
        {
            MessageStatus.Undelivered => true,
            MessageStatus.Failed => false,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only undelivered and failed messages are counted."),
        };
        await OptimisticUpdate.ApplyAsync(store, Table, DayKey(DateOnly.FromDateTime(at.UtcDateTime)), callerId, current => new Dictionary<string, object>
        {
            ["Undelivered"] = (current?.Get<long>("Undelivered") ?? 0) + (undelivered ? 1 : 0),
            ["Failed"] = (current?.Get<long>("Failed") ?? 0) + (undelivered ? 0 : 1),
        }, MaxAttempts, cancellationToken);
    }

    /// <summary>One caller's failures on <paramref name="day"/> (zeros when none).</summary>
    public async Task<DeliveryFailureTotals> GetAsync(string callerId, DateOnly day, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, DayKey(day), callerId, cancellationToken);
        return new DeliveryFailureTotals(entity?.Get<long>("Undelivered") ?? 0, entity?.Get<long>("Failed") ?? 0);
    }

    /// <summary>Every caller with failures on <paramref name="day"/>.</summary>
    public async Task<IReadOnlyDictionary<string, DeliveryFailureTotals>> GetDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<string, DeliveryFailureTotals>(StringComparer.Ordinal);
        await foreach (var entity in store.QueryAllAsync(Table, DayKey(day), null, null, 1000, cancellationToken))
        {
            totals[entity.RowKey] = new DeliveryFailureTotals(entity.Get<long>("Undelivered"), entity.Get<long>("Failed"));
        }

        return totals;
    }

    private static string DayKey(DateOnly day) => "d" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
