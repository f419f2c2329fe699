namespace SmsMcp.Core.Storage;

/// <summary>
/// Changes one entity that several instances change at once (a counter): read → change → insert-if-absent or
/// replace-if-match; on a conflict (409, 412, 404) wait a jittered, growing backoff, re-read and decide again.
/// </summary>
/// <remarks>
/// Every write carries its own id in <see cref="WriteIdsProperty"/>, which keeps the ids of the last
/// <see cref="RememberedWrites"/> writes. Azure.Core retries a write whose response was lost, and that retry answers
/// 412 (or 409 for an insert) although the first attempt landed; a conflict whose re-read shows our id is therefore a
/// success, not a reason to apply the change a second time. The property's name and format are those
/// <c>QuotaCounters</c> uses, so the quota ledger could move onto this helper without touching stored data.
/// </remarks>
public static class OptimisticUpdate
{
    /// <summary>The property holding the ids of the last writes, space-separated, oldest first.</summary>
    public const string WriteIdsProperty = "Nonces";

    /// <summary>How many recent write ids an entity remembers; enough to outlast a transport retry under heavy contention.</summary>
    public const int RememberedWrites = 64;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Applies <paramref name="change"/> — the stored entity (null when absent) to the properties to write, or null to
    /// write nothing — until one write sticks. Returns false when <paramref name="change"/> declined. Throws
    /// <see cref="StorageUnavailableException"/> after <paramref name="maxAttempts"/> conflicts, and whatever the store
    /// throws otherwise. <paramref name="change"/> may run several times and must not have side effects.
    /// </summary>
    public static async Task<bool> ApplyAsync(
        ITableStore store,
        string table,
        string partitionKey,
        string rowKey,
        Func<TableEntity?, IReadOnlyDictionary<string, object>?> change,
        int maxAttempts,
        CancellationToken cancellationToken) =>
        await ApplyFromAsync(store, table, partitionKey, rowKey, null, change, maxAttempts, cancellationToken) is not null;

    /// <summary>
    /// <see cref="ApplyAsync"/> starting from <paramref name="known"/> — the entity as this process last wrote or read it,
    /// with its ETag — instead of reading it first: when nobody changed it since, the change costs one request instead
    /// of two; when somebody did, the write answers 412 and the entity is read as usual. Knowing an entity is a guess,
    /// never a truth: the replace-if-match decides. Returns the entity as written, with its new ETag, or null when
    /// <paramref name="change"/> declined.
    /// </summary>
    public static async Task<TableEntity?> ApplyFromAsync(
        ITableStore store,
        string table,
        string partitionKey,
        string rowKey,
        TableEntity? known,
        Func<TableEntity?, IReadOnlyDictionary<string, object>?> change,
        int maxAttempts,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var writeId = Guid.NewGuid().ToString("N");
        var current = known is { ETag: not null } && known.PartitionKey == partitionKey && known.RowKey == rowKey
            ? known
            : await store.GetAsync(table, partitionKey, rowKey, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            if (change(current) is not { } properties)
            {
                return null;
            }

            var entity = new TableEntity(partitionKey, rowKey, Stamped(properties, current, writeId));
            try
            {
                var etag = current is null
                    ? await store.InsertAsync(table, entity, cancellationToken)
                    : await store.ReplaceAsync(table, entity, current.ETag!, cancellationToken);
                return entity with { ETag = etag };
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
            {
                // Someone else wrote first — or our own write landed and only its answer was lost (see remarks).
            }

            if (attempt >= maxAttempts)
            {
                throw new StorageUnavailableException($"An entity in table '{table}' stayed contended after {maxAttempts} attempts.");
            }

            await Task.Delay(Backoff(attempt), cancellationToken);
            current = await store.GetAsync(table, partitionKey, rowKey, cancellationToken);
            if (current is not null && Remembers(current, writeId))
            {
                return current;
            }
        }
    }

    /// <summary>Whether the write with id <paramref name="writeId"/> is among the last ones that reached <paramref name="entity"/>.</summary>
    public static bool Remembers(TableEntity? entity, string writeId) =>
        entity?.Get<string>(WriteIdsProperty) is { } ids && ids.Split(' ').Contains(writeId, StringComparer.Ordinal);

    private static Dictionary<string, object> Stamped(IReadOnlyDictionary<string, object> properties, TableEntity? current, string writeId)
    {
        var recent = current?.Get<string>(WriteIdsProperty) is { Length: > 0 } ids ? ids.Split(' ') : [];
        return new Dictionary<string, object>(properties, StringComparer.Ordinal)
        {
            [WriteIdsProperty] = string.Join(' ', recent.TakeLast(RememberedWrites - 1).Append(writeId)),
        };
    }

    /// <summary>"Full jitter": a random wait up to an exponentially growing cap, so contenders spread out instead of colliding again.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(MaxBackoff.TotalMilliseconds, FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }
}
