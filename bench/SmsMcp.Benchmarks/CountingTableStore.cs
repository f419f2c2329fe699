using System.Collections.Concurrent;
using SmsMcp.Core.Storage;

namespace SmsMcp.Benchmarks;

/// <summary>Passes every call to the real store and counts it by operation: the storage round trips a send costs.</summary>
public sealed class CountingTableStore(ITableStore inner) : ITableStore
{
    public static readonly string[] Operations = ["get", "insert", "replace", "upsert", "delete", "query"];

    private readonly ConcurrentDictionary<string, int> _counts = new();

    /// <summary>Calls so far per operation (each is one HTTP request on Table Storage, one transaction or read on SQLite).</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => Operations.ToDictionary(o => o, o => _counts.GetValueOrDefault(o));

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        Count("get", inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        Count("insert", inner.InsertAsync(table, entity, cancellationToken));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        Count("replace", inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        Count("upsert", inner.UpsertAsync(table, entity, cancellationToken));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        Count("delete", inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken));

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        Count("query", inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken));

    private T Count<T>(string operation, T call)
    {
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
        return call;
    }
}
