using SmsMcp.Core.Storage;

namespace SmsMcp.Testing;

/// <summary>
/// Passes every call to the real store and records it: table, operation and sequential depth. This is what a
/// send costs in storage round trips (on Table Storage each request is one HTTP request; on SQLite one read or
/// transaction). The benchmarks and the round-trip tests use it; the hosts do not compose it.
/// </summary>
/// <remarks>
/// A request's <see cref="StorageRequest.Depth"/> is one more than the deepest request that had completed when it
/// started: requests issued together (<c>Task.WhenAll</c>) share a depth, a request that waits for another's answer
/// gets the next one. The deepest request is the number of round trips a caller waits for one after another.
/// A backend that answers synchronously (SQLite) would finish one request of a <c>Task.WhenAll</c> before the next
/// starts; with <paramref name="measureDepth"/> every request runs on the thread pool and its answer comes back through
/// the caller's synchronization context, so requests issued together overlap as they would over a network. Under a
/// single-threaded context (one that runs posted continuations one at a time, as the round-trip tests use) the depths
/// are then exact and repeatable: answers are only taken in between the caller's synchronous steps, never while it is
/// still issuing the requests of one step. This costs a thread-pool hop per request: leave it off where latency is measured.
/// </remarks>
public sealed class CountingTableStore(ITableStore inner, bool measureDepth = false) : ITableStore
{
    /// <summary>The operation names, in the order reports list them.</summary>
    public static readonly string[] Operations = ["get", "query", "insert", "replace", "upsert", "delete", "transaction"];

    private readonly Lock _lock = new();
    private readonly List<StorageRequest> _requests = [];
    private readonly List<(string Label, int Index)> _marks = [];
    private int _completedDepth;
    private long _rowsRead;

    /// <summary>Every request since the last <see cref="Reset"/>, in the order they started.</summary>
    public IReadOnlyList<StorageRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Forgets the requests so far; depth counts from one again.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
            _marks.Clear();
            _completedDepth = 0;
        }
    }

    /// <summary>Notes a moment (such as "the provider is called"): <see cref="Before"/> splits the requests there.</summary>
    public void Mark(string label)
    {
        lock (_lock)
        {
            _marks.Add((label, _requests.Count));
        }
    }

    /// <summary>The requests started before the first <see cref="Mark"/> named <paramref name="label"/> (all when there was none).</summary>
    public IReadOnlyList<StorageRequest> Before(string label)
    {
        lock (_lock)
        {
            var at = _marks.FindIndex(m => m.Label == label);
            return [.. _requests.Take(at < 0 ? _requests.Count : _marks[at].Index)];
        }
    }

    /// <summary>The requests started after the first <see cref="Mark"/> named <paramref name="label"/> (none when there was none).</summary>
    public IReadOnlyList<StorageRequest> After(string label)
    {
        lock (_lock)
        {
            var at = _marks.FindIndex(m => m.Label == label);
            return at < 0 ? [] : [.. _requests.Skip(_marks[at].Index)];
        }
    }

    /// <summary>Requests per operation (<c>get</c>, …) and per operation and table (<c>get Audit</c>, …) since the last <see cref="Reset"/>.</summary>
    public IReadOnlyDictionary<string, int> Snapshot()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in Requests)
        {
            counts[r.Operation] = counts.GetValueOrDefault(r.Operation) + 1;
            counts[r.Operation + " " + r.Table] = counts.GetValueOrDefault(r.Operation + " " + r.Table) + 1;
        }

        return counts;
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        RecordAsync(table, "get", () => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        RecordAsync(table, "insert", () => inner.InsertAsync(table, entity, cancellationToken));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        RecordAsync(table, "replace", () => inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        RecordAsync(table, "upsert", () => inner.UpsertAsync(table, entity, cancellationToken));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        RecordAsync(table, "delete", async () =>
        {
            await inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
            return true;
        });

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        RecordAsync(table, "query", async () =>
        {
            var page = await inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);
            Interlocked.Add(ref _rowsRead, page.Entities.Count);
            return page;
        });

    /// <summary>Entities returned by partition queries so far (not reset by <see cref="Reset"/>).</summary>
    public long RowsRead => Interlocked.Read(ref _rowsRead);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        RecordAsync(table, "transaction", () => inner.SubmitTransactionAsync(table, writes, cancellationToken));

    private async Task<T> RecordAsync<T>(string table, string operation, Func<Task<T>> call)
    {
        int depth;
        lock (_lock)
        {
            depth = _completedDepth + 1;
            _requests.Add(new StorageRequest(table, operation, depth));
        }

        try
        {
            if (!measureDepth)
            {
                return await call();
            }

            // Yield before looking at the answer, even one that is already there: the caller's current step must finish
            // issuing its requests before any answer of this one counts as received.
            var answer = Task.Run(call);
            await Task.Yield();
            return await answer;
        }
        finally
        {
            lock (_lock)
            {
                _completedDepth = Math.Max(_completedDepth, depth);
            }
        }
    }
}
