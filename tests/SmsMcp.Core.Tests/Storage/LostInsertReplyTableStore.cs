using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// Carries out every insert and then, when armed for its table, answers it with 409: what a client sees when its
/// transport retries an insert whose first attempt landed but whose response was lost.
/// </summary>
public sealed class LostInsertReplyTableStore(ITableStore inner) : ITableStore
{
    private readonly Dictionary<string, int> _misreports = new(StringComparer.Ordinal);

    /// <summary>Misreports the next <paramref name="count"/> landed inserts into <paramref name="table"/>.</summary>
    public void Misreport(string table, int count = 1) => _misreports[table] = count;

    /// <summary>Landed inserts still to be misreported, per table.</summary>
    public int Remaining(string table) => _misreports.GetValueOrDefault(table);

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

    public async Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        var etag = await inner.InsertAsync(table, entity, cancellationToken);
        lock (_misreports)
        {
            if (_misreports.GetValueOrDefault(table) > 0)
            {
                _misreports[table]--;
                throw new EntityAlreadyExistsException(table);
            }
        }

        return etag;
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        inner.SubmitTransactionAsync(table, writes, cancellationToken);
}
