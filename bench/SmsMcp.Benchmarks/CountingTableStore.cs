using System.Collections.Concurrent;
using SmsMcp.Core.Storage;

namespace SmsMcp.Benchmarks;

/// <summary>Passes every call to the real store and counts it by operation: the storage round trips a send costs.</summary>
public sealed class CountingTableStore(ITableStore inner) : ITableStore
{
    public static readonly string[] Operations = ["get", "insert", "replace", "upsert", "delete", "query", "transaction"];

    private readonly ConcurrentDictionary<string, int> _counts = new();

    /// <summary>
    /// Calls so far per operation (<c>get</c>, …) and per operation and table (<c>get Audit</c>, …). Each is one HTTP
    /// request on Table Storage, one transaction or read on SQLite.
    /// </summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts);

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        Count("get", table, inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        Count("insert", table, inner.InsertAsync(table, entity, cancellationToken));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        Count("replace", table, inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        Count("upsert", table, inner.UpsertAsync(table, entity, cancellationToken));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        Count("delete", table, inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken));

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        Count("query", table, inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken));

    private T Count<T>(string operation, string table, T call)
    {
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
        _counts.AddOrUpdate(operation + " " + table, 1, (_, n) => n + 1);
        return call;
    }

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        Count("transaction", table, inner.SubmitTransactionAsync(table, writes, cancellationToken));
}
