using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and fails chosen operations on chosen tables with <see cref="StorageUnavailableException"/>,
/// the way an unreachable backend would (or with another exception a test chooses). Everything else goes to the real store.
/// </summary>
public sealed class FaultyTableStore(ITableStore inner) : ITableStore
{
    private readonly Dictionary<(string Operation, string Table), Func<Exception?>> _faults = [];

    public void Fail(string operation, string table) =>
        Fail(operation, table, () => new StorageUnavailableException($"Injected fault: {operation} on {table}."));

    /// <summary>
    /// Fails <paramref name="operation"/> on <paramref name="table"/> with what <paramref name="fault"/> makes (e.g. an
    /// exception no store throws); a null from it lets that call through (e.g. to fail only the second of a kind).
    /// </summary>
    public void Fail(string operation, string table, Func<Exception?> fault) => _faults[(operation, table)] = fault;

    public void Heal() => _faults.Clear();

    private void Check(string operation, string table)
    {
        foreach (var key in new[] { (operation, table), ("*", table), (operation, "*"), ("*", "*") })
        {
            if (_faults.TryGetValue(key, out var fault) && fault() is { } failure)
            {
                throw failure;
            }
        }
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        Check("get", table);
        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        Check("insert", table);
        return inner.InsertAsync(table, entity, cancellationToken);
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        Check("replace", table);
        return inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        Check("upsert", table);
        return inner.UpsertAsync(table, entity, cancellationToken);
    }

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        Check("delete", table);
        return inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
    }

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken)
    {
        Check("query", table);
        return inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);
    }

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        // A write inside a transaction fails or cancels as the same write alone would.
        Check("transaction", table);
        foreach (var write in writes)
        {
            Check(write.Kind.ToString().ToLowerInvariant(), table);
        }

        return inner.SubmitTransactionAsync(table, writes, cancellationToken);
    }
}
