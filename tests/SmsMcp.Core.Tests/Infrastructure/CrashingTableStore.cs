using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>Where a crash falls relative to the request it interrupts.</summary>
public enum CrashPoint
{
    /// <summary>The process dies before the request reaches storage: it has no effect.</summary>
    BeforeRequest,

    /// <summary>The request is applied, and the process dies before it hears the answer.</summary>
    AfterRequest,
}

/// <summary>
/// A process that dies at its Nth storage request: once <see cref="Arm"/>ed, request number N (counted from zero) is
/// either not applied or applied with its answer lost (<see cref="CrashPoint"/>), and it and every request after it throw
/// <see cref="StorageUnavailableException"/>: nothing this process does afterwards reaches storage. Another pipeline on the
/// inner store stands for the instance that takes over.
/// </summary>
public sealed class CrashingTableStore(ITableStore inner) : ITableStore
{
    private int _requests;
    private int _crashAt = int.MaxValue;
    private CrashPoint _point;
    private int _alsoLands = -1;

    /// <summary>Requests since the last <see cref="Arm"/> (or since creation).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Whether the crash has happened.</summary>
    public bool Crashed => Requests > _crashAt;

    /// <summary>Counts from zero again and crashes at request <paramref name="crashAt"/> (<see cref="int.MaxValue"/>: never).</summary>
    /// <param name="crashAt">The request the crash interrupts.</param>
    /// <param name="point">Whether that request lands.</param>
    /// <param name="alsoLands">A later request that lands all the same, its answer lost: one already on the wire beside the
    /// interrupted one when the process died (requests issued together reach storage in either order).</param>
    public void Arm(int crashAt, CrashPoint point, int? alsoLands = null)
    {
        _crashAt = crashAt;
        _point = point;
        _alsoLands = alsoLands ?? -1;
        Volatile.Write(ref _requests, 0);
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        RunAsync(() => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        RunAsync(() => inner.InsertAsync(table, entity, cancellationToken));

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        RunAsync(() => inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        RunAsync(() => inner.UpsertAsync(table, entity, cancellationToken));

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);
            return true;
        });

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        RunAsync(() => inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken));

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        RunAsync(() => inner.SubmitTransactionAsync(table, writes, cancellationToken));

    private async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        var index = Interlocked.Increment(ref _requests) - 1;
        if (index < _crashAt)
        {
            return await call();
        }

        if ((index == _crashAt && _point == CrashPoint.AfterRequest) || index == _alsoLands)
        {
            try
            {
                await call();
            }
            catch (StorageException)
            {
                // Whatever it answered, the process never heard it.
            }
        }

        throw new StorageUnavailableException($"Injected crash at storage request {_crashAt}.");
    }
}
