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

    /// <summary>
    /// <see cref="ApplyAsync"/> for several rows of one partition as one step: every row's change goes out in one entity
    /// group transaction (per <see cref="TableStoreRules.MaxTransactionWrites"/> rows), applied whole or not at all, with
    /// each write keeping its own condition (insert-if-absent, or replace-if-match on the ETag it was decided on). When a
    /// write's condition fails, nothing of that transaction is written: its rows are read again, their changes decided
    /// again, and the transaction sent again. Returns the rows written, as written (the ETag null when the answer was lost).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="table">The table.</param>
    /// <param name="partitionKey">The one partition every row is in.</param>
    /// <param name="rowKeys">The rows to change, each once.</param>
    /// <param name="known">The rows as the caller just read them, with their ETags (a partition query): a row missing from it is taken
    /// as absent, and the insert-if-absent decides. Null: each row is read first (concurrently).</param>
    /// <param name="change">The row key and the stored entity (null when absent) to the properties to write, or null to write
    /// nothing; may run several times for a row and must not have side effects.</param>
    /// <param name="maxAttempts">Transactions sent per chunk of rows before giving up with <see cref="StorageUnavailableException"/>.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <remarks>
    /// A transaction whose answer was lost and that the transport retried answers 409 or 412 about our own writes; the
    /// re-read of the failed row then shows this step's write id, and as the transaction is all-or-nothing every other row
    /// of it holds it too: that is success, not a reason to write again.
    /// </remarks>
    public static async Task<IReadOnlyList<TableEntity>> ApplyToPartitionAsync(
        ITableStore store,
        string table,
        string partitionKey,
        IReadOnlyCollection<string> rowKeys,
        IReadOnlyDictionary<string, TableEntity>? known,
        Func<string, TableEntity?, IReadOnlyDictionary<string, object>?> change,
        int maxAttempts,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rowKeys);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var written = new List<TableEntity>();
        foreach (var chunk in rowKeys.Distinct(StringComparer.Ordinal).Chunk(TableStoreRules.MaxTransactionWrites))
        {
            var current = known is not null
                ? chunk.ToDictionary(row => row, row => known.GetValueOrDefault(row), StringComparer.Ordinal)
                : (await Task.WhenAll(chunk.Select(row => store.GetAsync(table, partitionKey, row, cancellationToken))))
                    .Select((entity, i) => (Row: chunk[i], Entity: entity))
                    .ToDictionary(x => x.Row, x => x.Entity, StringComparer.Ordinal);
            written.AddRange(await ApplyChunkAsync(store, table, partitionKey, chunk, current, change, maxAttempts, cancellationToken));
        }

        return written;
    }

    private static async Task<IReadOnlyList<TableEntity>> ApplyChunkAsync(
        ITableStore store,
        string table,
        string partitionKey,
        string[] rows,
        Dictionary<string, TableEntity?> current,
        Func<string, TableEntity?, IReadOnlyDictionary<string, object>?> change,
        int maxAttempts,
        CancellationToken cancellationToken)
    {
        var writeId = Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            var writes = new List<TableWrite>();
            foreach (var row in rows)
            {
                if (change(row, current[row]) is not { } properties)
                {
                    continue;
                }

                var stored = current[row];
                var entity = new TableEntity(partitionKey, row, Stamped(properties, stored, writeId));
                writes.Add(stored is null ? TableWrite.Insert(entity) : TableWrite.Replace(entity, stored.ETag!));
            }

            if (writes.Count == 0)
            {
                return [];
            }

            string failedRow;
            try
            {
                var etags = await store.SubmitTransactionAsync(table, writes, cancellationToken);
                return [.. writes.Select((w, i) => w.Entity with { ETag = etags[i] })];
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
            {
                // Nothing of this transaction was written: someone else changed the failed row first — or the whole
                // transaction landed and only its answer was lost (see remarks).
                failedRow = writes[((StorageException)e).FailedWriteIndex ?? 0].Entity.RowKey;
            }

            if (attempt >= maxAttempts)
            {
                throw new StorageUnavailableException($"A partition of table '{table}' stayed contended after {maxAttempts} attempts.");
            }

            await Task.Delay(Backoff(attempt), cancellationToken);
            current[failedRow] = await store.GetAsync(table, partitionKey, failedRow, cancellationToken);
            if (Remembers(current[failedRow], writeId))
            {
                return [.. writes.Select(w => w.Entity)];
            }

            // A writer that changed one row may have changed others (a second scan doing the same step): read them all
            // again, so the next transaction is decided on what is stored now instead of failing on them one at a time.
            var others = rows.Where(row => row != failedRow).ToArray();
            var reread = await Task.WhenAll(others.Select(row => store.GetAsync(table, partitionKey, row, cancellationToken)));
            for (var i = 0; i < others.Length; i++)
            {
                current[others[i]] = reread[i];
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
