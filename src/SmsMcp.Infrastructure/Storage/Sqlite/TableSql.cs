using System.Text;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// The SQL text of every statement shape on one table, built once per table: that text is then the key of the statement
/// a session keeps prepared, so no call builds SQL text or compiles a statement again.
/// </summary>
/// <remarks>
/// Table names reach SQL text only after TableStoreRules limited them to ASCII letters and digits; all values are
/// parameters, numbered in the order the comments give.
/// </remarks>
internal sealed class TableSql
{
    private readonly string[] _queries = new string[8];

    public TableSql(string table)
    {
        // WITHOUT ROWID clusters rows by key, so a partition range scan reads contiguous pages.
        Create = $"""
            CREATE TABLE IF NOT EXISTS "{table}" (
                PartitionKey TEXT NOT NULL,
                RowKey TEXT NOT NULL,
                ETag TEXT NOT NULL,
                Properties TEXT NOT NULL,
                PRIMARY KEY (PartitionKey, RowKey)
            ) WITHOUT ROWID
            """;
        Get = $"""SELECT ETag, Properties FROM "{table}" WHERE PartitionKey = ?1 AND RowKey = ?2""";
        Exists = $"""SELECT 1 FROM "{table}" WHERE PartitionKey = ?1 AND RowKey = ?2""";
        Insert = $"""
            INSERT INTO "{table}" (PartitionKey, RowKey, ETag, Properties) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (PartitionKey, RowKey) DO NOTHING
            """;
        Upsert = $"""
            INSERT INTO "{table}" (PartitionKey, RowKey, ETag, Properties) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (PartitionKey, RowKey) DO UPDATE SET ETag = excluded.ETag, Properties = excluded.Properties
            """;
        Replace = $"""UPDATE "{table}" SET ETag = ?3, Properties = ?4 WHERE PartitionKey = ?1 AND RowKey = ?2""";
        ReplaceIfMatch = Replace + " AND ETag = ?5";
        Delete = $"""DELETE FROM "{table}" WHERE PartitionKey = ?1 AND RowKey = ?2""";
        DeleteIfMatch = Delete + " AND ETag = ?5";
        Table = table;
    }

    public string Table { get; }

    public string Create { get; }

    /// <summary>?1 partition key, ?2 row key; returns ETag, Properties.</summary>
    public string Get { get; }

    /// <summary>?1 partition key, ?2 row key.</summary>
    public string Exists { get; }

    /// <summary>?1 partition key, ?2 row key, ?3 new ETag, ?4 properties.</summary>
    public string Insert { get; }

    /// <summary>As <see cref="Insert"/>.</summary>
    public string Upsert { get; }

    /// <summary>As <see cref="Insert"/>.</summary>
    public string Replace { get; }

    /// <summary>As <see cref="Insert"/>, ?5 the ETag the row must have.</summary>
    public string ReplaceIfMatch { get; }

    /// <summary>?1 partition key, ?2 row key.</summary>
    public string Delete { get; }

    /// <summary>?1 partition key, ?2 row key, ?5 the ETag the row must have.</summary>
    public string DeleteIfMatch { get; }

    /// <summary>
    /// ?1 partition key, ?2 page size + 1, ?3 lower bound, ?4 resume-at key, ?5 upper bound (exclusive); the bounds
    /// appear only when given. Returns RowKey, ETag, Properties in row key order.
    /// </summary>
    public string Query(bool from, bool resume, bool to)
    {
        var shape = (from ? 1 : 0) | (resume ? 2 : 0) | (to ? 4 : 0);
        return Volatile.Read(ref _queries[shape]) ?? Interlocked.CompareExchange(ref _queries[shape], BuildQuery(from, resume, to), null)
            ?? _queries[shape];
    }

    private string BuildQuery(bool from, bool resume, bool to)
    {
        var sql = new StringBuilder($"""SELECT RowKey, ETag, Properties FROM "{Table}" WHERE PartitionKey = ?1""");
        if (from)
        {
            sql.Append(" AND RowKey >= ?3");
        }

        if (resume)
        {
            sql.Append(" AND RowKey >= ?4");
        }

        if (to)
        {
            sql.Append(" AND RowKey < ?5");
        }

        // One row past the page tells whether there is a next page without handing out a token that leads nowhere.
        return sql.Append(" ORDER BY RowKey LIMIT ?2").ToString();
    }
}
