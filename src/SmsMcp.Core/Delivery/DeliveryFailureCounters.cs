using System.Globalization;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Delivery;

/// <summary>
/// Undelivered and failed messages per caller per UTC day (the day the carrier reported it), for the anomaly detectors:
/// a burst of failures is what SMS pumping and bad recipient lists look like. One partition per day holding a row per
/// caller, so a detector reads one day of every caller in one query and never scans messages. Increments use
/// replace-if-match, so concurrent instances never lose a count.
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
        var column = status switch
        {
            MessageStatus.Undelivered => "Undelivered",
            MessageStatus.Failed => "Failed",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only undelivered and failed messages are counted."),
        };
        var day = DayKey(DateOnly.FromDateTime(at.UtcDateTime));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(Table, day, callerId, cancellationToken);
            var next = new TableEntity(day, callerId, new Dictionary<string, object>
            {
                ["Undelivered"] = (current?.Get<long>("Undelivered") ?? 0) + (column == "Undelivered" ? 1 : 0),
                ["Failed"] = (current?.Get<long>("Failed") ?? 0) + (column == "Failed" ? 1 : 0),
            });
            try
            {
                if (current is null)
                {
                    await store.InsertAsync(Table, next, cancellationToken);
                }
                else
                {
                    await store.ReplaceAsync(Table, next, current.ETag!, cancellationToken);
                }

                return;
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
            {
                // Another instance counted first: read again and retry.
            }
        }

        throw new StorageUnavailableException("The delivery failure counter stayed contended after repeated retries.");
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
        string? token = null;
        do
        {
            var page = await store.QueryPartitionAsync(Table, DayKey(day), null, null, 1000, token, cancellationToken);
            foreach (var entity in page.Entities)
            {
                totals[entity.RowKey] = new DeliveryFailureTotals(entity.Get<long>("Undelivered"), entity.Get<long>("Failed"));
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return totals;
    }

    private static string DayKey(DateOnly day) => "d" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
