using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Idempotency;

/// <summary>
/// Idempotency keys, claimed per caller with insert-if-absent before the provider is called, so a retried
/// call never sends twice — across instances too. A repeat within <see cref="SendLimits.IdempotencyWindow"/>
/// gets the first result; the same key with a different request is refused.
/// </summary>
public sealed class IdempotencyStore(ITableStore store, TimeProvider time)
{
    public const string Table = "Idempotency";
    private const string InProgress = "InProgress";
    private const string Completed = "Completed";

    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key)
        && key.Length <= SendLimits.MaxIdempotencyKeyLength
        && key.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or ':');

    /// <param name="requestDigest">A keyed digest of what is being sent, to tell a retry from a reuse.</param>
    public async Task<IdempotencyClaim> ClaimAsync(string callerId, string key, string requestDigest, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = new TableEntity(callerId, key, new Dictionary<string, object>
        {
            ["State"] = InProgress,
            ["RequestDigest"] = requestDigest,
            ["CreatedAt"] = now,
        });

        // Two rounds at most: the second only after taking over an expired key.
        for (var round = 0; round < 2; round++)
        {
            try
            {
                var etag = await store.InsertAsync(Table, claim, cancellationToken);
                return new IdempotencyClaim(true, etag, null, null);
            }
            catch (EntityAlreadyExistsException)
            {
            }

            var existing = await store.GetAsync(Table, callerId, key, cancellationToken);
            if (existing is null)
            {
                continue; // Released between our insert and read: try to claim again.
            }

            if (existing.Get<DateTimeOffset>("CreatedAt") + SendLimits.IdempotencyWindow <= now)
            {
                try
                {
                    var etag = await store.ReplaceAsync(Table, claim, existing.ETag!, cancellationToken);
                    return new IdempotencyClaim(true, etag, null, null);
                }
                catch (Exception e) when (e is PreconditionFailedException or EntityNotFoundException)
                {
                    continue;
                }
            }

            if (existing.Get<string>("RequestDigest") != requestDigest)
            {
                return new IdempotencyClaim(false, null, null, Refusal.IdempotencyKeyReused);
            }

            return existing.Get<string>("State") == Completed
                ? new IdempotencyClaim(false, null, ReadResult(existing), null)
                : new IdempotencyClaim(false, null, null, Refusal.IdempotencyInProgress);
        }

        return new IdempotencyClaim(false, null, null, Refusal.IdempotencyInProgress);
    }

    /// <summary>Stores the result so repeats get it. The claim must be ours (ETag from <see cref="ClaimAsync"/>).</summary>
    public Task CompleteAsync(string callerId, string key, string etag, string requestDigest, SendResult result, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        store.ReplaceAsync(Table, new TableEntity(callerId, key, new Dictionary<string, object>
        {
            ["State"] = Completed,
            ["RequestDigest"] = requestDigest,
            ["CreatedAt"] = createdAt,
            ["MessageId"] = result.MessageId,
            ["Status"] = result.Status.ToString(),
            ["Segments"] = result.Segments,
            ["Encoding"] = result.Encoding.ToString(),
            ["RecipientMasked"] = result.RecipientMasked,
        }), etag, cancellationToken);

    /// <summary>Gives the key up after a send that certainly did not happen, so the caller can retry with it.</summary>
    public Task ReleaseAsync(string callerId, string key, string etag, CancellationToken cancellationToken) =>
        store.DeleteAsync(Table, callerId, key, etag, cancellationToken);

    private static SendResult ReadResult(TableEntity e) => new(
        e.Get<string>("MessageId") ?? "",
        Enum.Parse<MessageStatus>(e.Get<string>("Status") ?? nameof(MessageStatus.Unknown)),
        e.Get<int>("Segments"),
        Enum.Parse<SmsEncoding>(e.Get<string>("Encoding") ?? nameof(SmsEncoding.Gsm7)),
        e.Get<string>("RecipientMasked") ?? "",
        Replayed: true);
}
