using System.Buffers;
using System.Globalization;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Messages;

/// <summary>
/// Message records, kept in the audit trail's table beside the audit records of the UTC day embedded in the message id
/// (row key = the id): the send's write-ahead audit attempt, its record and its pending marker (<see cref="MessageIndex"/>)
/// are one entity group transaction, and anyone holding an id finds its record with one point read. A lookup still names
/// the caller, and a record whose stored caller is another answers as absent, so one caller can never read another's
/// messages, even by guessing an id.
/// </summary>
/// <remarks>
/// Records written before issue 16 live in <see cref="LegacyTable"/> (partition = caller); every read falls back to it
/// when the record is not in the day partition, and an update of a record found there is written back there.
/// </remarks>
public sealed class MessageStore(ITableStore store)
{
    /// <summary>Where records live: the audit trail's day partitions (row keys starting with a letter, which audit readers never read).</summary>
    public const string Table = AuditLog.Table;

    /// <summary>Records written before issue 16 (partition = caller), read as a fallback; declared so reads find an empty table.</summary>
    public const string LegacyTable = "Messages";

    private const string IdPrefix = "msg_";
    private const int MaxAttempts = 16;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly long LatestMillisecond = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// A new message id minted at <paramref name="at"/> (the walk's clock): a version-7 GUID, whose first 48 bits are the
    /// Unix milliseconds of <paramref name="at"/> — so the id names the day partition its record is written to.
    /// </summary>
    public static string NewMessageId(DateTimeOffset at) => IdPrefix + Guid.CreateVersion7(at).ToString("N");

    /// <summary>Pending markers, and the index of the layout before issue 16 (see <see cref="MessageIndex"/>).</summary>
    public MessageIndex Index { get; } = new(store);

    /// <summary>
    /// The day partition a message id's record is in, or null when the id names no instant a partition can be made of
    /// (not well formed, or a time past year 9999): such an id has no record in this layout.
    /// </summary>
    public static string? PartitionOf(string messageId)
    {
        if (!IsWellFormedId(messageId))
        {
            return null;
        }

        var milliseconds = long.Parse(messageId.AsSpan(IdPrefix.Length, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return milliseconds > LatestMillisecond ? null : AuditLog.PartitionOf(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
    }

    /// <summary>
    /// The writes that store a new record (insert-if-absent) and, when it is about to go to the carrier
    /// (<see cref="MessageStatus.Queued"/> without a carrier id), its pending marker: for a transaction in the record's
    /// partition (<see cref="PartitionOf"/>), e.g. alongside the write-ahead audit attempt. The record's ETag is the first answer.
    /// </summary>
    public static IReadOnlyList<TableWrite> InsertWrites(MessageRecord record) =>
        Writes(record, TableWrite.Insert);

    /// <summary>As <see cref="InsertWrites"/>, but insert-or-replace: an approved request rewrites its held record.</summary>
    public static IReadOnlyList<TableWrite> UpsertWrites(MessageRecord record) =>
        Writes(record, TableWrite.Upsert);

    /// <summary>
    /// The writes that take back a record written by <see cref="InsertWrites"/> (at <paramref name="insertedETag"/>) and its
    /// pending marker, for a send stopped before the carrier was called: for a transaction in the record's partition.
    /// </summary>
    public static IReadOnlyList<TableWrite> WithdrawWrites(MessageRecord record, string insertedETag)
    {
        var partition = RequirePartition(record.MessageId);
        return [TableWrite.Delete(partition, record.MessageId, insertedETag), TableWrite.Delete(partition, MessageIndex.MarkerRowKey(record.MessageId), "*")];
    }

    /// <summary>
    /// <see cref="WithdrawWrites"/> as a transaction of its own. Rows already gone count as withdrawn: the transaction that
    /// tried first may have landed with its answer lost.
    /// </summary>
    public async Task WithdrawAsync(MessageRecord record, string insertedETag, CancellationToken cancellationToken)
    {
        try
        {
            await store.SubmitTransactionAsync(Table, WithdrawWrites(record, insertedETag), cancellationToken);
        }
        catch (EntityNotFoundException)
        {
            // Record and marker are written and deleted together, so one gone means both are.
        }
    }

    /// <summary>
    /// The write that records the carrier's answer over the record as this process inserted it (replace-if-match at
    /// <paramref name="insertedETag"/>): fails with a 412 when a status callback changed it since, and the caller then goes
    /// through <see cref="SaveSendResultAsync(MessageRecord, string?, MessageRecord?, CancellationToken)"/>, which merges.
    /// </summary>
    public static TableWrite SendResultWrite(MessageRecord record, string insertedETag) =>
        TableWrite.Replace(ToEntity(record), insertedETag);

    /// <summary>
    /// Writes a new record and returns its ETag; a queued one with its pending marker, in one transaction, so the
    /// carrier (called only after) can never report on a message nothing knows. Throws when they were not stored.
    /// </summary>
    public async Task<string> InsertAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        var writes = InsertWrites(record);
        try
        {
            return await SubmitAsync(writes, cancellationToken);
        }
        catch (EntityAlreadyExistsException e) when (e.FailedWriteIndex is null or 0)
        {
            // Message ids are fresh, so a 409 over the same record is Azure.Core's retry of our own landed write (its
            // response was lost), not someone else's row; a transaction landed whole, marker included.
            var stored = await store.GetAsync(Table, writes[0].Entity.PartitionKey, record.MessageId, cancellationToken);
            if (stored is null || FromEntity(stored) != record)
            {
                throw;
            }

            return stored.ETag!;
        }
    }

    /// <summary>Writes a record unconditionally (with its pending marker when queued, in one transaction) and returns its ETag.</summary>
    public Task<string> UpsertAsync(MessageRecord record, CancellationToken cancellationToken) =>
        SubmitAsync(UpsertWrites(record), cancellationToken);

    /// <summary>
    /// Records what the carrier answered to the send. A status callback can overtake this write (Twilio may report
    /// "sent" before the create request has returned here), so a status that would move the record backwards is not
    /// written. Goes through <see cref="OptimisticUpdate"/>, so a conflict is retried with backoff and a write whose
    /// answer was lost is not mistaken for a conflict.
    /// </summary>
    public Task SaveSendResultAsync(MessageRecord record, CancellationToken cancellationToken) =>
        SaveSendResultAsync(record, null, null, cancellationToken);

    /// <summary><see cref="SaveSendResultAsync(MessageRecord, CancellationToken)"/>, starting from the record as this process inserted it.</summary>
    /// <param name="record">The record with the carrier's answer.</param>
    /// <param name="insertedETag">The ETag <see cref="InsertAsync"/> returned for the record as first written, if known: the
    /// update then replaces it without reading it first, unless a status callback changed it since (412, then read).</param>
    /// <param name="inserted">The record as first written (with <paramref name="insertedETag"/>).</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <remarks>
    /// Only the day-partition layout: every send since issue 16 wrote its record there before the carrier was called,
    /// so a send's own result never belongs to a record of the old layout.
    /// </remarks>
    public async Task SaveSendResultAsync(MessageRecord record, string? insertedETag, MessageRecord? inserted, CancellationToken cancellationToken)
    {
        var partition = RequirePartition(record.MessageId);
        await OptimisticUpdate.ApplyFromAsync(store, Table, partition, record.MessageId,
            insertedETag is null || inserted is null ? null : ToEntity(inserted) with { ETag = insertedETag }, current =>
            {
                if (current is null)
                {
                    return ToEntity(record).Properties;
                }

                // Only a carrier report sets the carrier's id on a record we have not updated yet: without one, the stored
                // record is still our own placeholder and the send's answer replaces it. A callback that wrote first and got
                // further is left as it is; a record of another caller (which a fresh id never meets) is never touched.
                var stored = FromEntity(current);
                if (!string.Equals(stored.CallerId, record.CallerId, StringComparison.Ordinal))
                {
                    return null;
                }

                var merged = stored.ProviderMessageId is null || MessageStatusOrder.IsAdvance(stored.Status, record.Status) ? record : stored;
                return merged == stored ? null : ToEntity(merged).Properties;
            }, MaxAttempts, cancellationToken);
    }

    /// <summary>The caller's own message with its ETag (and where it lives), or null — the same answer for "not yours" and "does not exist".</summary>
    public async Task<StoredMessage?> GetForUpdateAsync(string callerId, string messageId, CancellationToken cancellationToken)
    {
        if (await GetCurrentAsync(messageId, cancellationToken) is { } current)
        {
            return string.Equals(current.Record.CallerId, callerId, StringComparison.Ordinal) ? current : null;
        }

        return await GetLegacyAsync(callerId, messageId, cancellationToken);
    }

    /// <summary>
    /// The message <paramref name="messageId"/> whoever sent it, with its ETag: for a status report, which names only our
    /// message id (from a signed URL or the pending index). Falls back to the old layout's id → caller index.
    /// </summary>
    public async Task<StoredMessage?> FindForStatusAsync(string messageId, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(messageId))
        {
            return null;
        }

        if (await GetCurrentAsync(messageId, cancellationToken) is { } current)
        {
            return current;
        }

        return await Index.FindLegacyCallerAsync(messageId, cancellationToken) is { } callerId
            ? await GetLegacyAsync(callerId, messageId, cancellationToken)
            : null;
    }

    /// <summary>Replaces the record read as <paramref name="stored"/> (in the layout it was read from); throws <see cref="PreconditionFailedException"/> when it changed since.</summary>
    public Task ReplaceAsync(StoredMessage stored, MessageRecord updated, CancellationToken cancellationToken)
    {
        if (!string.Equals(stored.Record.MessageId, updated.MessageId, StringComparison.Ordinal)
            || !string.Equals(stored.Record.CallerId, updated.CallerId, StringComparison.Ordinal))
        {
            throw new ArgumentException("An update keeps the message's id and caller.", nameof(updated));
        }

        return stored.Legacy
            ? store.ReplaceAsync(LegacyTable, ToLegacyEntity(updated), stored.ETag, cancellationToken)
            : store.ReplaceAsync(Table, ToEntity(updated), stored.ETag, cancellationToken);
    }

    /// <summary>
    /// <see cref="ReplaceAsync"/> for a record reaching a final status: in the day-partition layout its pending marker is
    /// deleted in the same transaction, so no marker outlives its message's final status. A marker already gone (another
    /// walk's removal) leaves the replace alone; a record of the old layout is replaced alone (its pending row is removed
    /// separately, see <see cref="MessageIndex.RemovePendingAsync"/>).
    /// </summary>
    public async Task ReplaceSettlingAsync(StoredMessage stored, MessageRecord updated, CancellationToken cancellationToken)
    {
        if (stored.Legacy)
        {
            await ReplaceAsync(stored, updated, cancellationToken);
            return;
        }

        var entity = ToEntity(updated);
        try
        {
            await store.SubmitTransactionAsync(Table,
                [TableWrite.Replace(entity, stored.ETag), TableWrite.Delete(entity.PartitionKey, MessageIndex.MarkerRowKey(updated.MessageId), "*")], cancellationToken);
        }
        catch (EntityNotFoundException e) when (e.FailedWriteIndex == 1)
        {
            await ReplaceAsync(stored, updated, cancellationToken);
        }
    }

    /// <summary>The caller's own message, or null — the same answer for "not yours" and "does not exist".</summary>
    public async Task<MessageRecord?> GetAsync(string callerId, string messageId, CancellationToken cancellationToken) =>
        (await GetForUpdateAsync(callerId, messageId, cancellationToken))?.Record;

    /// <summary>Message ids are ours: anything else is refused before it reaches storage.</summary>
    public static bool IsWellFormedId(string? messageId) =>
        messageId is { Length: 36 } && messageId.StartsWith(IdPrefix, StringComparison.Ordinal)
        && !messageId.AsSpan(4).ContainsAnyExcept(LowerHex);

    private async Task<StoredMessage?> GetCurrentAsync(string messageId, CancellationToken cancellationToken)
    {
        if (PartitionOf(messageId) is not { } partition)
        {
            return null;
        }

        var entity = await store.GetAsync(Table, partition, messageId, cancellationToken);
        return entity is null ? null : new StoredMessage(FromEntity(entity), entity.ETag!);
    }

    private async Task<StoredMessage?> GetLegacyAsync(string callerId, string messageId, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(messageId))
        {
            return null;
        }

        var entity = await store.GetAsync(LegacyTable, callerId, messageId, cancellationToken);
        return entity is null ? null : new StoredMessage(FromLegacyEntity(entity), entity.ETag!, Legacy: true);
    }

    private async Task<string> SubmitAsync(IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 1)
        {
            var write = writes[0];
            return write.Kind == TableWriteKind.Insert
                ? await store.InsertAsync(Table, write.Entity, cancellationToken)
                : await store.UpsertAsync(Table, write.Entity, cancellationToken);
        }

        return (await store.SubmitTransactionAsync(Table, writes, cancellationToken))[0]!;
    }

    private static IReadOnlyList<TableWrite> Writes(MessageRecord record, Func<TableEntity, TableWrite> write)
    {
        var entity = ToEntity(record);
        return record.Status == MessageStatus.Queued && record.ProviderMessageId is null
            ? [write(entity), write(MessageIndex.Marker(entity.PartitionKey, record))]
            : [write(entity)];
    }

    private static string RequirePartition(string messageId) =>
        PartitionOf(messageId) ?? throw new ArgumentException("Not a message id this server mints.", nameof(messageId));

    private static Dictionary<string, object> Properties(MessageRecord r)
    {
        var properties = new Dictionary<string, object>
        {
            ["RecipientMasked"] = r.RecipientMasked,
            ["RecipientRef"] = r.RecipientRef,
            ["Status"] = r.Status.ToString(),
            ["Segments"] = r.Segments,
            ["Encoding"] = r.Encoding.ToString(),
            ["Provider"] = r.Provider,
            ["CreatedAt"] = r.CreatedAt,
            ["UpdatedAt"] = r.UpdatedAt,
        };
        if (r.Alias is not null)
        {
            properties["Alias"] = r.Alias;
        }

        if (r.ProviderMessageId is not null)
        {
            properties["ProviderMessageId"] = r.ProviderMessageId;
        }

        if (r.ErrorCode is { } errorCode)
        {
            properties["ErrorCode"] = errorCode;
        }

        return properties;
    }

    private static TableEntity ToEntity(MessageRecord r)
    {
        var properties = Properties(r);
        properties["CallerId"] = r.CallerId;
        return new TableEntity(RequirePartition(r.MessageId), r.MessageId, properties);
    }

    private static TableEntity ToLegacyEntity(MessageRecord r) => new(r.CallerId, r.MessageId, Properties(r));

    private static MessageRecord FromEntity(TableEntity e) => FromProperties(e, e.Get<string>("CallerId") ?? "");

    private static MessageRecord FromLegacyEntity(TableEntity e) => FromProperties(e, e.PartitionKey);

    private static MessageRecord FromProperties(TableEntity e, string callerId) => new()
    {
        MessageId = e.RowKey,
        CallerId = callerId,
        RecipientMasked = e.Get<string>("RecipientMasked") ?? "",
        RecipientRef = e.Get<string>("RecipientRef") ?? "",
        Alias = e.Get<string>("Alias"),
        Status = Enum.Parse<MessageStatus>(e.Get<string>("Status") ?? nameof(MessageStatus.Unknown)),
        Segments = e.Get<int>("Segments"),
        Encoding = Enum.Parse<SmsEncoding>(e.Get<string>("Encoding") ?? nameof(SmsEncoding.Gsm7)),
        Provider = e.Get<string>("Provider") ?? "",
        ProviderMessageId = e.Get<string>("ProviderMessageId"),
        ErrorCode = e.Properties.ContainsKey("ErrorCode") ? e.Get<int>("ErrorCode") : null,
        CreatedAt = e.Get<DateTimeOffset>("CreatedAt"),
        UpdatedAt = e.Get<DateTimeOffset>("UpdatedAt"),
    };
}
