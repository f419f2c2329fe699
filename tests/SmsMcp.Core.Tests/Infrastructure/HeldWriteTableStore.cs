using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and holds the first insert or replace on one table until <see cref="Release"/>, so that what
/// queues behind a slow write can be observed; counts that table's reads and writes. Everything else goes straight through.
/// </summary>
public sealed class HeldWriteTableStore(ITableStore inner, string heldTable) : DelegatingTableStore(inner)
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

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        if (table == heldTable)
        {
            Interlocked.Increment(ref _gets);
        }

        return Inner.GetAsync(table, partitionKey, rowKey, cancellationToken);
    }

    public override async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        await HoldFirstWriteAsync(table);
        return await Inner.InsertAsync(table, entity, cancellationToken);
    }

    public override async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        await HoldFirstWriteAsync(table);
        return await Inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
    }

    private async Task HoldFirstWriteAsync(string written)
    {
        if (written == heldTable && Interlocked.Increment(ref _writes) == 1)
        {
            _held.TrySetResult();
            await _release.Task;
        }
    }
}
