using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Adds a suffix to every table name, so tests sharing one Azurite each get their own tables while the code
/// under test keeps its fixed table names. Everything else goes to the real store unchanged.
/// </summary>
public sealed class TableSuffixStore(ITableStore inner, string suffix) : ITableStore
{
    /// <summary>A suffix no other test uses.</summary>
    public static string NewSuffix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) =>
        inner.CreateTableIfNotExistsAsync(table + suffix, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        inner.GetAsync(table + suffix, partitionKey, rowKey, cancellationToken);

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        inner.InsertAsync(table + suffix, entity, cancellationToken);

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
        inner.ReplaceAsync(table + suffix, entity, ifMatch, cancellationToken);

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        inner.UpsertAsync(table + suffix, entity, cancellationToken);

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
        inner.DeleteAsync(table + suffix, partitionKey, rowKey, ifMatch, cancellationToken);

    public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
        inner.QueryPartitionAsync(table + suffix, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
        inner.SubmitTransactionAsync(table + suffix, writes, cancellationToken);
}
