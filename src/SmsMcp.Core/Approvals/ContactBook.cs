using System.Collections.Concurrent;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Approvals;

/// <summary>
/// Which recipients each caller has texted (a message went out), for first-contact approval. Rows are keyed by
/// the keyed pseudonym of the number, so the book holds no raw number. Only sends made after this store existed
/// count: a caller's earlier messages do not make a number "known".
/// </summary>
/// <remarks>
/// Nothing ever removes a contact, so once this instance has seen one stored (its own record, or a read that found it)
/// the answer can only stay "known": it remembers such pairs and neither reads nor writes them again. That takes the
/// contact book off every repeated send (a read under first-contact approval, an upsert otherwise). A pair it has not
/// seen is asked of the store as before, and a failed write is not remembered, so the next send records it again. A row
/// deleted by hand (a storage tool) still counts as known on instances that saw it, until they restart; a feature that
/// ever removes contacts must clear this memory.
/// </remarks>
public sealed class ContactBook(ITableStore store)
{
    public const string Table = "Contacts";

    /// <summary>Pairs remembered at most; past it the memory starts over (each pair then costs one request again).</summary>
    internal const int Remembered = 10_000;

    private readonly ConcurrentDictionary<(string CallerId, string RecipientRef), byte> _known = new();

    /// <summary>True when <paramref name="callerId"/> has texted <paramref name="recipientRef"/>. Throws <see cref="StorageException"/> when the store cannot answer.</summary>
    public async Task<bool> HasContactedAsync(string callerId, string recipientRef, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey((callerId, recipientRef)))
        {
            return true;
        }

        var found = await store.GetAsync(Table, callerId, recipientRef, cancellationToken) is not null;
        if (found)
        {
            Remember(callerId, recipientRef);
        }

        return found;
    }

    /// <summary>Records that a message to <paramref name="recipientRef"/> went out (idempotent; nothing to do for a pair already known here).</summary>
    public async Task RecordAsync(string callerId, string recipientRef, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey((callerId, recipientRef)))
        {
            return;
        }

        // RecordedAt: when a send last recorded the pair from an instance that did not know it yet (each instance does once,
        // and again after its memory starts over) — not every send's time.
        await store.UpsertAsync(Table, new TableEntity(callerId, recipientRef, new Dictionary<string, object> { ["RecordedAt"] = at }), cancellationToken);
        Remember(callerId, recipientRef);
    }

    private void Remember(string callerId, string recipientRef)
    {
        if (_known.Count >= Remembered)
        {
            _known.Clear();
        }

        _known.TryAdd((callerId, recipientRef), 0);
    }
}
