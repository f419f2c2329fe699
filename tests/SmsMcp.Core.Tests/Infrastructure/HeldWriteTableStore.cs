using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and holds the first insert or replace on one table until <see cref="Release"/>, so that what
/// queues behind a slow write can be observed; counts that table's reads and writes. Everything else goes straight through.
/// </summary>
public sealed class HeldWriteTableStore(ITableStore inner, string heldTable) : ITableStore
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _gets;
    private int _writes;

    /// <summary>Ends once the first write to the table is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Point reads of the table so far.</summary>
    public int Gets => Volatile.Read(ref _gets);

    /// <summary>Inserts and replaces of the table so far (the held one included).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public void Release() => _release.TrySetResult();

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        if (table == heldTable)
        {
            Interlocked.Increment(ref _gets);
        }

        return inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        await HoldFirstWriteAsync(table);
        return await inner.InsertAsync(table, entity, cancellationToken);
    }

    public async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        await HoldFirstWriteAsync(table);
        return await inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        inner.SubmitTransactionAsync(table, writes, cancellationToken);

    private async Task HoldFirstWriteAsync(string written)
    {
        if (written == heldTable && Interlocked.Increment(ref _writes) == 1)
        {
            _held.TrySetResult();
            await _release.Task;
        }
    }
}
