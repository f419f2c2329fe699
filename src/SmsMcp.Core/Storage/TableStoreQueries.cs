using System.Runtime.CompilerServices;

namespace SmsMcp.Core.Storage;

/// <summary>Reads built on <see cref="ITableStore"/> that every store would otherwise repeat.</summary>
public static class TableStoreQueries
{
    /// <summary>
    /// Every entity of a partition whose row key falls in [<paramref name="rowKeyFrom"/>, <paramref name="rowKeyTo"/>)
    /// (null bound = open), in ordinal row-key order, fetched <paramref name="pageSize"/> at a time as the caller reads on.
    /// </summary>
    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(
        this ITableStore store,
        string table,
        string partitionKey,
        string? rowKeyFrom,
        string? rowKeyTo,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, pageSize, token, cancellationToken);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
