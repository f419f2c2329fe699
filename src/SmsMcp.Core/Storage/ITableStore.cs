namespace SmsMcp.Core.Storage;

/// <summary>
/// The one storage contract every domain store is built on: a partitioned key/value
/// table with ETags, shaped after Azure Table Storage so the SQLite and Table Storage backends can
/// be swapped without the domain noticing. Implementations must pass <c>TableStoreContractTests</c>.
/// </summary>
/// <remarks>
/// Security: every method throws <see cref="StorageUnavailableException"/> when the backend cannot
/// answer; callers on the send path treat that as "refuse", never as "carry on".
/// </remarks>
public interface ITableStore
{
    /// <summary>Creates the table if it does not exist. Idempotent.</summary>
    Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken);

    /// <summary>Returns the entity, or null when absent.</summary>
    Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken);

    /// <summary>Inserts the entity only if absent; throws <see cref="EntityAlreadyExistsException"/> otherwise. Returns the new ETag.</summary>
    Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the entity when its current ETag equals <paramref name="ifMatch"/> (or <c>"*"</c> for any);
    /// throws <see cref="PreconditionFailedException"/> on mismatch and <see cref="EntityNotFoundException"/>
    /// when absent. Returns the new ETag.
    /// </summary>
    Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the entity unconditionally. Returns the new ETag.</summary>
    Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the entity when its ETag equals <paramref name="ifMatch"/> (or <c>"*"</c>); throws
    /// <see cref="PreconditionFailedException"/> on mismatch and <see cref="EntityNotFoundException"/> when absent.
    /// </summary>
    Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken);

    /// <summary>
    /// Returns one page of the entities of a partition whose row keys fall in
    /// [<paramref name="rowKeyFrom"/>, <paramref name="rowKeyTo"/>) in ordinal row-key order (null bound = open).
    /// Pass the returned <see cref="TablePage.ContinuationToken"/> back to get the next page; null means done.
    /// </summary>
    Task<TablePage> QueryPartitionAsync(
        string table,
        string partitionKey,
        string? rowKeyFrom,
        string? rowKeyTo,
        int maxPerPage,
        string? continuationToken,
        CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write or none (an entity group transaction): at most 100 writes,
    /// all in one partition of one table, each entity addressed once. Returns the new ETag of each write in order
    /// (null for a delete). When a write cannot be applied nothing is, and the exception is the one that write alone
    /// would throw (<see cref="EntityAlreadyExistsException"/>, <see cref="PreconditionFailedException"/>,
    /// <see cref="EntityNotFoundException"/>) with <see cref="StorageException.FailedWriteIndex"/> set to its position.
    /// </summary>
    /// <exception cref="ArgumentException">The writes break one of the rules above or a single write's rules; nothing is written.</exception>
    Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken);
}
