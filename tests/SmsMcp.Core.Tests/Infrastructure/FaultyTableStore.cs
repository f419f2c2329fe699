using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and fails chosen operations on chosen tables with <see cref="StorageUnavailableException"/>,
/// the way an unreachable backend would. Everything else goes to the real store.
/// </summary>
public sealed class FaultyTableStore(ITableStore inner) : ITableStore
{
    private readonly HashSet<(string Operation, string Table)> _faults = [];

    public void Fail(string operation, string table) => _faults.Add((operation, table));

    public void Heal() => _faults.Clear();

    private void Check(string operation, string table)
    {
        if (_faults.Contains((operation, table)) || _faults.Contains(("*", table)) || _faults.Contains((operation, "*")) || _faults.Contains(("*", "*")))
        {
            throw new StorageUnavailableException($"Injected fault: {operation} on {table}.");
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
