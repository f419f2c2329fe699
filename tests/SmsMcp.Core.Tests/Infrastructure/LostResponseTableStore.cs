using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store: the chosen operation (<c>insert</c>, <c>replace</c> or <c>delete</c>) is carried out, then fails
/// the way the storage client's automatic retry of it would after a lost response — a 409, 412 or 404 about our own write.
/// </summary>
public sealed class LostResponseTableStore(ITableStore inner, string operation) : ITableStore
{
    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        var etag = await inner.InsertAsync(table, entity, cancellationToken);
        return operation == "insert" ? throw new EntityAlreadyExistsException(table) : etag;
    }

    public async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        var etag = await inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
        return operation == "replace" ? throw new PreconditionFailedException(table) : etag;
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
        if (operation == "delete")
        {
            throw new EntityNotFoundException(table);
        }
    }

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        inner.SubmitTransactionAsync(table, writes, cancellationToken);
}
