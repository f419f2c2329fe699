using System.Globalization;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Messages;

/// <summary>
/// The messages still waiting for a final carrier status: a marker row <c>p:</c> + message id beside each record, in
/// the day partition of its id (<see cref="MessageStore.PartitionOf"/>), written in the same transaction as the record
/// and read by reconciliation as a row-key range (the id's first 12 hex digits are its Unix milliseconds, so
/// <c>p:msg_</c> + those digits orders the markers by time).
/// </summary>
/// <remarks>
/// Before issue 16 this was a table of its own (<see cref="LegacyTable"/>): an owner row per message (partition = message
/// id, row <c>owner</c>) that told a status callback the caller, and hourly pending partitions
/// (<c>pending-yyyyMMddHH</c>). Both are still read (and pending rows removed) for messages sent before the change.
/// </remarks>
public sealed class MessageIndex(ITableStore store)
{
    /// <summary>The index of the layout before issue 16, read as a fallback; declared so reads find an empty table.</summary>
    public const string LegacyTable = "MessageIndex";

    /// <summary>
    /// How long before it was queued a message id may have been minted: an approved request keeps the id it was held
    /// under, for at most the longest approval lifetime. Defined here, where the reconciler's look-back needs it, and taken
    /// by <c>ApprovalOptions.MaximumLifetime</c> (Approvals may name Messages; not the reverse).
    /// </summary>
    public static readonly TimeSpan LongestHold = TimeSpan.FromDays(7);

    private const string MarkerPrefix = "p:";
    private const string LegacyOwnerRow = "owner";
    private const string LegacyPendingPrefix = "pending-";

    /// <summary>The row key of the pending marker of <paramref name="messageId"/>.</summary>
    internal static string MarkerRowKey(string messageId) => MarkerPrefix + messageId;

    /// <summary>The pending marker of <paramref name="record"/> in <paramref name="partition"/> (its id's day).</summary>
    internal static TableEntity Marker(string partition, MessageRecord record) =>
        new(partition, MarkerRowKey(record.MessageId), new Dictionary<string, object>
        {
            ["CallerId"] = record.CallerId,
            ["QueuedAt"] = record.CreatedAt,
        });

    /// <summary>The caller the layout before issue 16 recorded for <paramref name="messageId"/>, or null.</summary>
    public async Task<string?> FindLegacyCallerAsync(string messageId, CancellationToken cancellationToken) =>
        (await store.GetAsync(LegacyTable, messageId, LegacyOwnerRow, cancellationToken))?.Get<string>("CallerId");

    /// <summary>
    /// The messages queued from <paramref name="from"/> to <paramref name="to"/> that still wait for a final status — a
    /// superset: markers of ids minted up to <see cref="LongestHold"/> earlier are included, and the caller filters on
    /// <see cref="PendingMessage.QueuedAt"/>. Then the old layout's hourly partitions of the same span.
    /// </summary>
    public async IAsyncEnumerable<PendingMessage> PendingAsync(
        DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var minted = from - LongestHold;
        var rowFrom = MarkerKeyAt(minted);
        var rowTo = MarkerKeyAt(to.AddMilliseconds(1));
        for (var day = DateOnly.FromDateTime(minted.UtcDateTime); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            await foreach (var entity in store.QueryAllAsync(AuditLog.Table, AuditLog.PartitionOf(day), rowFrom, rowTo, 500, cancellationToken))
            {
                yield return new PendingMessage(entity.RowKey[MarkerPrefix.Length..], entity.Get<string>("CallerId") ?? "", entity.Get<DateTimeOffset>("QueuedAt"));
            }
        }

        for (var hour = UtcHour.Of(from); hour <= to; hour = hour.AddHours(1))
        {
            await foreach (var entity in store.QueryAllAsync(LegacyTable, LegacyPendingPartition(hour), null, null, 500, cancellationToken))
            {
                yield return new PendingMessage(entity.RowKey, entity.Get<string>("CallerId") ?? "", entity.Get<DateTimeOffset>("QueuedAt"), Legacy: true);
            }
        }
    }

    /// <summary>Takes a message off the pending index (it reached a final state, or has no record). Idempotent.</summary>
    public async Task RemovePendingAsync(PendingMessage entry, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.Legacy)
            {
                await store.DeleteAsync(LegacyTable, LegacyPendingPartition(entry.QueuedAt), entry.MessageId, "*", cancellationToken);
            }
            else if (MessageStore.PartitionOf(entry.MessageId) is { } partition)
            {
                await store.DeleteAsync(AuditLog.Table, partition, MarkerRowKey(entry.MessageId), "*", cancellationToken);
            }
        }
        catch (EntityNotFoundException)
        {
            // Already removed, e.g. by a concurrent callback or reconciliation run.
        }
    }

    // Markers of ids minted at or after this instant sort at or after this key (ids are "msg_" + 12 hex digits of Unix ms + …).
    private static string MarkerKeyAt(DateTimeOffset at) =>
        MarkerPrefix + "msg_" + Math.Max(0, at.ToUnixTimeMilliseconds()).ToString("x12", CultureInfo.InvariantCulture);

    private static string LegacyPendingPartition(DateTimeOffset at) =>
        LegacyPendingPrefix + UtcHour.Of(at).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
