using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Messages;

/// <summary>
/// Two small indexes beside the caller-partitioned message records, both written before a message is handed to the
/// carrier: message id → caller, so a status callback (which names only our message id) finds its record without
/// trusting anything else the request says; and the messages still waiting for a final status, bucketed by the hour
/// they were queued, so reconciliation reads a few partitions instead of scanning every caller's messages.
/// </summary>
public sealed class MessageIndex(ITableStore store)
{
    public const string Table = "MessageIndex";

    private const string OwnerRow = "owner";
    private const string PendingPrefix = "pending-";

    /// <summary>Records that <paramref name="record"/> is about to go to the carrier. Idempotent.</summary>
    public async Task AddAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        var owner = new TableEntity(record.MessageId, OwnerRow, new Dictionary<string, object> { ["CallerId"] = record.CallerId });
        var pending = new TableEntity(PendingPartition(record.CreatedAt), record.MessageId, new Dictionary<string, object>
        {
            ["CallerId"] = record.CallerId,
            ["QueuedAt"] = record.CreatedAt,
        });
        // One table, but two partitions (the message id; the queued hour), so not one transaction: both upserts are
        // idempotent, and the caller waits for both before the carrier is called.
        await Task.WhenAll(store.UpsertAsync(Table, owner, cancellationToken), store.UpsertAsync(Table, pending, cancellationToken));
    }

    /// <summary>The caller that owns <paramref name="messageId"/>, or null when we never queued it.</summary>
    public async Task<string?> FindCallerAsync(string messageId, CancellationToken cancellationToken) =>
        (await store.GetAsync(Table, messageId, OwnerRow, cancellationToken))?.Get<string>("CallerId");

    /// <summary>The messages queued in the UTC hours from <paramref name="from"/> up to (not including) the hour after <paramref name="to"/>.</summary>
    public async IAsyncEnumerable<PendingMessage> PendingAsync(
        DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var hour = HourOf(from); hour <= to; hour = hour.AddHours(1))
        {
            await foreach (var entity in store.QueryAllAsync(Table, PendingPartition(hour), null, null, 500, cancellationToken))
            {
                yield return new PendingMessage(entity.RowKey, entity.Get<string>("CallerId") ?? "", entity.Get<DateTimeOffset>("QueuedAt"));
            }
        }
    }

    /// <summary>Takes a message off the pending index (it reached a final state). Idempotent.</summary>
    public async Task RemovePendingAsync(string messageId, DateTimeOffset queuedAt, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(Table, PendingPartition(queuedAt), messageId, "*", cancellationToken);
        }
        catch (EntityNotFoundException)
        {
            // Already removed, e.g. by a concurrent callback or reconciliation run.
        }
    }

    private static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static string PendingPartition(DateTimeOffset at) => PendingPrefix + HourOf(at).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
