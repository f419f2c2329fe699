using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Idempotency;

/// <summary>
/// Idempotency keys, claimed per caller with insert-if-absent before the provider is called, so a retried
/// call never sends twice — across instances too. A repeat within <see cref="SendLimits.IdempotencyWindow"/>
/// gets the first result; the same key with a different request is refused. A repeat that arrives while the
/// first call is still sending waits for it (bounded) and then gets its result, so concurrent retries all see
/// one message id.
/// </summary>
public sealed class IdempotencyStore
{
    public const string Table = "Idempotency";

    /// <summary>How long a repeat waits for the call holding the key before answering <c>idempotency_in_progress</c>.</summary>
    public static readonly TimeSpan DefaultInProgressWait = TimeSpan.FromSeconds(15);

    private const string InProgress = "InProgress";
    private const string Completed = "Completed";

    // Polling starts fast (a send under a healthy store takes milliseconds) and backs off so that many waiters on
    // many instances do not hammer the partition; jitter keeps them from polling in lockstep.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    private readonly ITableStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _inProgressWait;

    public IdempotencyStore(ITableStore store, TimeProvider time)
        : this(store, time, DefaultInProgressWait)
    {
    }

    /// <param name="inProgressWait">The bounded wait for a key held by another call (tests shorten it).</param>
    internal IdempotencyStore(ITableStore store, TimeProvider time, TimeSpan inProgressWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inProgressWait, TimeSpan.Zero);
        _store = store;
        _time = time;
        _inProgressWait = inProgressWait;
    }

    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key)
        && key.Length <= SendLimits.MaxIdempotencyKeyLength
        && key.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or ':');

    /// <summary>
    /// Claims the key, or answers with the first call's result. While another call holds the key for the same request
    /// this waits — up to the bounded wait — for it to complete (→ its result) or release the key (→ claim it again).
    /// </summary>
    /// <param name="requestDigest">A keyed digest of what is being sent, to tell a retry from a reuse.</param>
    public async Task<IdempotencyClaim> ClaimAsync(string callerId, string key, string requestDigest, CancellationToken cancellationToken)
    {
        // The nonce tells our own claim from another caller's when a storage retry reports a write we made as a conflict.
        var nonce = Guid.NewGuid().ToString("N");
        var claim = new TableEntity(callerId, key, new Dictionary<string, object>
        {
            ["State"] = InProgress,
            ["RequestDigest"] = requestDigest,
            ["CreatedAt"] = _time.GetUtcNow(),
            ["Nonce"] = nonce,
        });
        var waitStarted = _time.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            var (answer, retryAtOnce) = await TryClaimAsync(claim, nonce, requestDigest, cancellationToken);
            if (answer is not null)
            {
                return answer;
            }

            var waited = _time.GetElapsedTime(waitStarted);
            if (waited >= _inProgressWait)
            {
                return new IdempotencyClaim(false, null, null, Refusal.IdempotencyInProgress);
            }

            if (!retryAtOnce)
            {
                var delay = Jittered(poll);
                await Task.Delay(delay < _inProgressWait - waited ? delay : _inProgressWait - waited, _time, cancellationToken);
                poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
            }
        }
    }

    /// <summary>
    /// Whether a call with this key already completed within the window (a repeat of it would replay, whatever it asked):
    /// read only, nothing claimed. Throws <see cref="StorageException"/> when the store cannot answer.
    /// </summary>
    public async Task<bool> HasCompletedAsync(string callerId, string key, CancellationToken cancellationToken) =>
        await _store.GetAsync(Table, callerId, key, cancellationToken) is { } existing
        && existing.Get<string>("State") == Completed
        && existing.Get<DateTimeOffset>("CreatedAt") + SendLimits.IdempotencyWindow > _time.GetUtcNow();

    /// <summary>Stores the result so repeats get it. The claim must be ours (from <see cref="ClaimAsync"/>).</summary>
    public async Task CompleteAsync(string callerId, string key, IdempotencyClaim claim, string requestDigest, SendResult result, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var completed = new TableEntity(callerId, key, new Dictionary<string, object>
        {
            ["State"] = Completed,
            ["RequestDigest"] = requestDigest,
            ["CreatedAt"] = createdAt,
            ["Nonce"] = claim.Nonce!,
            ["MessageId"] = result.MessageId,
            ["Status"] = result.Status.ToString(),
            ["Segments"] = result.Segments,
            ["Encoding"] = result.Encoding.ToString(),
            ["RecipientMasked"] = result.RecipientMasked,
        });
        try
        {
            await _store.ReplaceAsync(Table, completed, claim.ETag!, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // A retried replace whose first attempt landed finds its own write: that is success, anything else is not.
            var current = await _store.GetAsync(Table, callerId, key, cancellationToken);
            if (current?.Get<string>("Nonce") != claim.Nonce || current?.Get<string>("State") != Completed)
            {
                throw;
            }
        }
    }

    /// <summary>Gives the key up after a send that certainly did not happen, so the caller can retry with it.</summary>
    public async Task ReleaseAsync(string callerId, string key, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(Table, callerId, key, claim.ETag!, cancellationToken);
        }
        catch (EntityNotFoundException)
        {
            // Already gone: a retried delete whose first attempt landed.
        }
        catch (PreconditionFailedException)
        {
            // Someone else's claim now (ours was deleted by a retried delete and the key taken again): nothing of ours to
            // release. Still ours under another ETag: delete that.
            var current = await _store.GetAsync(Table, callerId, key, cancellationToken);
            if (current?.Get<string>("Nonce") == claim.Nonce && current?.ETag is { } etag)
            {
                await _store.DeleteAsync(Table, callerId, key, etag, cancellationToken);
            }
        }
    }

    /// <summary>
    /// One attempt: the claim (ours), the first call's result, a refusal — or, with a null answer, the key is held by
    /// another call (wait, then look again) or changed under us (<c>retryAtOnce</c>: look again now).
    /// </summary>
    private async Task<(IdempotencyClaim? Answer, bool RetryAtOnce)> TryClaimAsync(TableEntity claim, string nonce, string requestDigest, CancellationToken cancellationToken)
    {
        try
        {
            var etag = await _store.InsertAsync(Table, claim, cancellationToken);
            return (Owned(etag, nonce), false);
        }
        catch (EntityAlreadyExistsException)
        {
        }

        var existing = await _store.GetAsync(Table, claim.PartitionKey, claim.RowKey, cancellationToken);
        if (existing is null)
        {
            return (null, true); // Released between our insert and read: try to claim again.
        }

        if (existing.Get<string>("Nonce") == nonce)
        {
            // Our insert landed but its answer was lost, and the storage client's retry met our own row.
            return (Owned(existing.ETag!, nonce), false);
        }

        if (existing.Get<DateTimeOffset>("CreatedAt") + SendLimits.IdempotencyWindow <= _time.GetUtcNow())
        {
            return await TakeOverExpiredAsync(claim, existing, nonce, cancellationToken);
        }

        if (existing.Get<string>("RequestDigest") != requestDigest)
        {
            return (new IdempotencyClaim(false, null, null, Refusal.IdempotencyKeyReused), false);
        }

        return existing.Get<string>("State") == Completed
            ? (new IdempotencyClaim(false, null, ReadResult(existing), null), false)
            : (null, false);
    }

    private async Task<(IdempotencyClaim? Answer, bool RetryAtOnce)> TakeOverExpiredAsync(TableEntity claim, TableEntity existing, string nonce, CancellationToken cancellationToken)
    {
        try
        {
            var etag = await _store.ReplaceAsync(Table, claim, existing.ETag!, cancellationToken);
            return (Owned(etag, nonce), false);
        }
        catch (Exception e) when (e is PreconditionFailedException or EntityNotFoundException)
        {
            return (null, true);
        }
    }

    private static IdempotencyClaim Owned(string etag, string nonce) => new(true, etag, null, null, nonce);

    private static TimeSpan Jittered(TimeSpan poll) => poll * (0.5 + (Random.Shared.NextDouble() / 2));

    private static SendResult ReadResult(TableEntity e) => new(
        e.Get<string>("MessageId") ?? "",
        Enum.Parse<MessageStatus>(e.Get<string>("Status") ?? nameof(MessageStatus.Unknown)),
        e.Get<int>("Segments"),
        Enum.Parse<SmsEncoding>(e.Get<string>("Encoding") ?? nameof(SmsEncoding.Gsm7)),
        e.Get<string>("RecipientMasked") ?? "",
        Replayed: true);
}
