using System.Collections.Concurrent;
using System.Diagnostics;
using SmsMcp.Core.Storage;

namespace SmsMcp.Benchmarks;

/// <summary>Passes every call to the real store and adds up the time the caller waited, by operation and table.</summary>
public sealed class TimingTableStore(ITableStore inner) : ITableStore
{
    private readonly ConcurrentDictionary<string, (long Calls, long Ticks)> _totals = new();

    /// <summary>Calls and total waited time per "operation Table" so far.</summary>
    public IReadOnlyDictionary<string, (long Calls, TimeSpan Waited)> Snapshot() =>
        _totals.ToDictionary(t => t.Key, t => (t.Value.Calls, Stopwatch.GetElapsedTime(0, t.Value.Ticks)));

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        TimeAsync("get", table, () => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        TimeAsync("insert", table, () => inner.InsertAsync(table, entity, cancellationToken));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        TimeAsync("replace", table, () => inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        TimeAsync("upsert", table, () => inner.UpsertAsync(table, entity, cancellationToken));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        TimeAsync("delete", table, async () =>
        {
            await inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
            return true;
        });

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        TimeAsync("query", table, () => inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken));

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        TimeAsync("transaction", table, () => inner.SubmitTransactionAsync(table, writes, cancellationToken));

    private async Task<T> TimeAsync<T>(string operation, string table, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            _totals.AddOrUpdate(operation + " " + table, (1, elapsed), (_, t) => (t.Calls + 1, t.Ticks + elapsed));
        }
    }
}
