using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and, the first time a chosen operation reaches a chosen table, cancels <see cref="Cancellation"/>
/// — a caller hanging up while the send walk waits on that call — and, like a real store, throws only if the operation
/// was given a token that is now cancelled (before the operation reaches the store).
/// </summary>
public sealed class CancellingTableStore(ITableStore inner) : ITableStore
{
    private (string Operation, string Table)? _trigger;

    public CancellationTokenSource Cancellation { get; } = new();

    public void CancelAt(string operation, string table) => _trigger = (operation, table);

    private void Check(string operation, string table, CancellationToken cancellationToken)
    {
        if (_trigger == (operation, table))
        {
            _trigger = null;
            Cancellation.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        Check("get", table, cancellationToken);
        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        Check("insert", table, cancellationToken);
        return inner.InsertAsync(table, entity, cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        Check("replace", table, cancellationToken);
        return inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        Check("upsert", table, cancellationToken);
        return inner.UpsertAsync(table, entity, cancellationToken);
    }

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        Check("delete", table, cancellationToken);
        return inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
    }

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken)
    {
        Check("query", table, cancellationToken);
        return inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);
    }

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        // A write inside a transaction fails or cancels as the same write alone would.
        Check("transaction", table, cancellationToken);
        foreach (var write in writes)
        {
            Check(write.Kind.ToString().ToLowerInvariant(), table, cancellationToken);
        }

        return inner.SubmitTransactionAsync(table, writes, cancellationToken);
    }
}
