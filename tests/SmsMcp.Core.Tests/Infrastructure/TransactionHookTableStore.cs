using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Wraps a real store and lets a test act around its entity group transactions: <see cref="BeforeFirst"/> runs just before
/// the first one is sent (another writer slipping in between a read and the transaction), <see cref="AfterRejected"/> runs
/// after a transaction was refused (to look at what it left), and <see cref="LoseFirstAnswer"/> applies the first one and
/// then fails the way the storage client's retry of it would after a lost response: a 412 about our own first write.
/// Everything else goes to the real store unchanged.
/// </summary>
public sealed class TransactionHookTableStore(ITableStore inner) : ITableStore
{
    private int _transactions;

    public Func<Task>? BeforeFirst { get; init; }

    public Func<StorageException, Task>? AfterRejected { get; init; }

    public bool LoseFirstAnswer { get; init; }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.InsertAsync(table, entity, cancellationToken);

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _transactions) == 1;
        if (first && BeforeFirst is not null)
        {
            await BeforeFirst();
        }

        IReadOnlyList<string?> etags;
        try
        {
            etags = await inner.SubmitTransactionAsync(table, writes, cancellationToken);
        }
        catch (StorageException e) when (AfterRejected is not null)
        {
            await AfterRejected(e);
            throw;
        }

        return first && LoseFirstAnswer ? throw new PreconditionFailedException(table) { FailedWriteIndex = 0 } : etags;
    }
}
