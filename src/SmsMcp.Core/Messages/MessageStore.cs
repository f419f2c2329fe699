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
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static string NewMessageId() => "msg_" + Guid.CreateVersion7().ToString("N");

    public Task InsertAsync(MessageRecord record, CancellationToken cancellationToken) =>
        store.InsertAsync(Table, ToEntity(record), cancellationToken);

    public Task UpsertAsync(MessageRecord record, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, ToEntity(record), cancellationToken);

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
        CreatedAt = e.Get<DateTimeOffset>("CreatedAt"),
        UpdatedAt = e.Get<DateTimeOffset>("UpdatedAt"),
    };
}
