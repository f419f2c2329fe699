using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>
/// Carries out every conditional write and then, when armed, answers it as lost (409 for an insert, 412 for a
/// replace): what a client sees when its transport retries a write whose first attempt landed.
/// </summary>
public sealed class MisreportingTableStore(ITableStore inner) : ITableStore
{
    /// <summary>How many more landed writes to misreport.</summary>
    public int Misreports { get; set; }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        var etag = await inner.InsertAsync(table, entity, cancellationToken);
        return Misreport() ? throw new EntityAlreadyExistsException(table) : etag;
    }

    public async Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        var etag = await inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);
        return Misreport() ? throw new PreconditionFailedException(table) : etag;
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    private bool Misreport()
    {
        if (Misreports <= 0)
        {
            return false;
        }

        Misreports--;
        return true;
    }

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        inner.SubmitTransactionAsync(table, writes, cancellationToken);
}
