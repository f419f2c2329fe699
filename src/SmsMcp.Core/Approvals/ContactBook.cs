using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Approvals;

/// <summary>
/// Which recipients each caller has texted (a message went out), for first-contact approval. Rows are keyed by
/// the keyed pseudonym of the number, so the book holds no raw number. Only sends made after this store existed
/// count: a caller's earlier messages do not make a number "known".
/// </summary>
public sealed class ContactBook(ITableStore store)
{
    public const string Table = "Contacts";

    /// <summary>True when <paramref name="callerId"/> has texted <paramref name="recipientRef"/>. Throws <see cref="StorageException"/> when the store cannot answer.</summary>
    public async Task<bool> HasContactedAsync(string callerId, string recipientRef, CancellationToken cancellationToken) =>
        await store.GetAsync(Table, callerId, recipientRef, cancellationToken) is not null;

    /// <summary>Records that a message to <paramref name="recipientRef"/> went out (idempotent).</summary>
    public Task RecordAsync(string callerId, string recipientRef, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.UpsertAsync(Table, new TableEntity(callerId, recipientRef, new Dictionary<string, object> { ["LastSentAt"] = at }), cancellationToken);
}
