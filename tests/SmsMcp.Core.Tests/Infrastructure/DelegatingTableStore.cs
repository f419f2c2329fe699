using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>Passes every call to a real store; a test decorator overrides only the calls it changes or observes.</summary>
public abstract class DelegatingTableStore(ITableStore inner) : ITableStore
{
    protected ITableStore Inner { get; } = inner;

    public virtual Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => Inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public virtual Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        Inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public virtual Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => Inner.InsertAsync(table, entity, cancellationToken);

    public virtual Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        Inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);

    public virtual Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => Inner.UpsertAsync(table, entity, cancellationToken);

    public virtual Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        Inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public virtual Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        Inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public virtual Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        Inner.SubmitTransactionAsync(table, writes, cancellationToken);
}
