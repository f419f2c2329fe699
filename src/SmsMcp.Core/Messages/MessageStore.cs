using System.Buffers;
using SmsMcp.Core.Content;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Messages;

/// <summary>
/// Message records, partitioned by caller: a lookup needs the caller, so one caller can never read
/// another's messages, even by guessing an id.
/// </summary>
public sealed class MessageStore(ITableStore store)
{
    public const string Table = "Messages";
    private const int MaxAttempts = 16;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    /// <summary>The message id → caller index and the pending index, kept by this store (see <see cref="MessageIndex"/>).</summary>
    public MessageIndex Index { get; } = new(store);

    /// <summary>
    /// Writes a new record and returns its ETag. A record written as <see cref="MessageStatus.Queued"/> is about to be
    /// handed to the carrier, so it is indexed in the same step (the index and the record are written concurrently, and
    /// this returns only once both are stored): the carrier is called only after, so a status callback can never arrive
    /// for a message the index does not know. When either write fails this throws, and the record may or may not exist.
    /// </summary>
    public async Task<string> InsertAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        var insert = InsertRecordAsync(record, cancellationToken);
        await Task.WhenAll(IndexIfQueuedAsync(record, cancellationToken), insert);
        return await insert;
    }

    private async Task<string> InsertRecordAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await store.InsertAsync(Table, ToEntity(record), cancellationToken);
        }
        catch (EntityAlreadyExistsException)
        {
            // Message ids are fresh, so a 409 over the same record in the caller's own partition is Azure.Core's retry of
            // our own landed insert (its response was lost), not someone else's row.
            var stored = await store.GetAsync(Table, record.CallerId, record.MessageId, cancellationToken);
            if (stored is null || FromEntity(stored) != record)
            {
                throw;
            }

            return stored.ETag!;
        }
    }

    /// <summary>Writes a record unconditionally (indexed first when queued) and returns its ETag.</summary>
    public async Task<string> UpsertAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        await IndexIfQueuedAsync(record, cancellationToken);
        return await store.UpsertAsync(Table, ToEntity(record), cancellationToken);
    }

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
    public async Task SaveSendResultAsync(MessageRecord record, string? insertedETag, MessageRecord? inserted, CancellationToken cancellationToken) =>
        await OptimisticUpdate.ApplyFromAsync(store, Table, record.CallerId, record.MessageId,
            insertedETag is null || inserted is null ? null : ToEntity(inserted) with { ETag = insertedETag }, current =>
        {
            if (current is null)
            {
                return ToEntity(record).Properties;
            }

            // Only a carrier report sets the carrier's id on a record we have not updated yet: without one, the stored
            // record is still our own placeholder and the send's answer replaces it. A callback that wrote first and got
            // further is left as it is.
            var stored = FromEntity(current);
            var merged = stored.ProviderMessageId is null || MessageStatusOrder.IsAdvance(stored.Status, record.Status) ? record : stored;
            return merged == stored ? null : ToEntity(merged).Properties;
        }, MaxAttempts, cancellationToken);

    /// <summary>The caller's own message with its ETag, or null.</summary>
    public async Task<StoredMessage?> GetForUpdateAsync(string callerId, string messageId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, callerId, messageId, cancellationToken);
        return entity is null ? null : new StoredMessage(FromEntity(entity), entity.ETag!);
    }

    /// <summary>Replaces the record read at <paramref name="etag"/>; throws <see cref="PreconditionFailedException"/> when it changed since.</summary>
    public Task ReplaceAsync(MessageRecord record, string etag, CancellationToken cancellationToken) =>
        store.ReplaceAsync(Table, ToEntity(record), etag, cancellationToken);

    /// <summary>The caller's own message, or null — the same answer for "not yours" and "does not exist".</summary>
    public async Task<MessageRecord?> GetAsync(string callerId, string messageId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, callerId, messageId, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Message ids are ours: anything else is refused before it reaches storage.</summary>
    public static bool IsWellFormedId(string? messageId) =>
        messageId is { Length: 36 } && messageId.StartsWith("msg_", StringComparison.Ordinal)
        && !messageId.AsSpan(4).ContainsAnyExcept(LowerHex);

    private Task IndexIfQueuedAsync(MessageRecord record, CancellationToken cancellationToken) =>
        record.Status == MessageStatus.Queued && record.ProviderMessageId is null ? Index.AddAsync(record, cancellationToken) : Task.CompletedTask;

    private static TableEntity ToEntity(MessageRecord r)
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

        return new TableEntity(r.CallerId, r.MessageId, properties);
    }

    private static MessageRecord FromEntity(TableEntity e) => new()
    {
        MessageId = e.RowKey,
        CallerId = e.PartitionKey,
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
