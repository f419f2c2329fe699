using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// The embedded <see cref="ITableStore"/>: one SQLite file holding one SQL table per logical table. Several
/// instances and processes may share the file; every write runs inside a SQLite transaction, so insert-if-absent and
/// replace-if-match stay atomic across all of them. Concurrent writes of one store share a transaction (group commit,
/// see <see cref="GroupCommit"/>): each keeps its own outcome, and each caller is answered once its write is durable.
/// </summary>
/// <remarks>
/// <para>Missing tables: <see cref="CreateTableIfNotExistsAsync"/> must run first. Until it has, reads find nothing
/// (null, an empty page) and writes throw <see cref="StorageUnavailableException"/>: a write that quietly created
/// its table would hide a deployment mistake that Table Storage reports as 404 TableNotFound.</para>
/// <para>Row keys sort by Unicode code point (SQLite compares UTF-8 bytes). That is ordinal UTF-16 order, except
/// that characters above U+FFFF sort after U+E000–U+FFFF instead of before them.</para>
/// <para>ETags are <c>W/"…"</c> around 32 random hex digits, fresh on every write. Continuation tokens are opaque
/// base64url; a token that this store did not issue is rejected with <see cref="ArgumentException"/>.</para>
/// </remarks>
public sealed class SqliteTableStore : ITableStore, IDisposable
{
    private const string ContinuationPrefix = "r1:";

    private readonly string _connectionString;
    private readonly string _directory;
    private readonly int _busyTimeoutMilliseconds;

    // Tables are never dropped, so a table once seen stays valid; absence is re-checked because another process may create it.
    private readonly ConcurrentDictionary<string, byte> _knownTables = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _fileReady;
    private volatile bool _disposed;

    // Writes of this process go through one committer (SQLite admits one writer anyway, and its busy handler backs
    // off in coarse sleeps, which under concurrent sends turned p99 into seconds); the writes that queue while one
    // transaction is being synced share the next one. Other processes still meet the busy timeout.
    private readonly GroupCommit _groupCommit;

    static SqliteTableStore() => Batteries_V2.Init();

    /// <exception cref="ArgumentException">The path is empty or not a valid path.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The busy timeout is outside 1 second to 10 minutes.</exception>
    public SqliteTableStore(SqliteStorageOptions options)
        : this(options, beforeCommit: null)
    {
    }

    /// <param name="options">As for the public constructor.</param>
    /// <param name="beforeCommit">Runs before each group's COMMIT; tests throw from it to fail a whole group.</param>
    internal SqliteTableStore(SqliteStorageOptions options, Func<CancellationToken, ValueTask>? beforeCommit)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("SqliteStorageOptions.Path is required.", nameof(options));
        }

        if (options.BusyTimeout < TimeSpan.FromSeconds(1) || options.BusyTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SqliteStorageOptions.BusyTimeout must be between 1 second and 10 minutes.");
        }

        var path = Path.GetFullPath(options.Path);
        _directory = Path.GetDirectoryName(path)!;
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries busy statements itself until this many seconds have passed in total.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        _groupCommit = new GroupCommit(OpenWriterAsync, beforeCommit);
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        return WriteAsync(table, singleStatement: false, operation: async (connection, ct) =>
        {
            // WITHOUT ROWID clusters rows by key, so a partition range scan reads contiguous pages.
            await ExecuteAsync(connection, $"""
                CREATE TABLE IF NOT EXISTS "{table}" (
                    PartitionKey TEXT NOT NULL,
                    RowKey TEXT NOT NULL,
                    ETag TEXT NOT NULL,
                    Properties TEXT NOT NULL,
                    PRIMARY KEY (PartitionKey, RowKey)
                ) WITHOUT ROWID
                """, [], ct);
            _knownTables.TryAdd(table, 0);
            return true;
        }, cancellationToken);
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        return RunAsync(table, async (connection, ct) =>
        {
            if (!await TableExistsAsync(connection, table, ct))
            {
                return null;
            }

            await using var command = Command(connection,
                $"""SELECT ETag, Properties FROM "{table}" WHERE PartitionKey = $pk AND RowKey = $rk""",
                ("$pk", partitionKey), ("$rk", rowKey));
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct)
                ? ToEntity(partitionKey, rowKey, reader.GetString(0), reader.GetString(1))
                : null;
        }, cancellationToken);
    }

    public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        var write = Prepared.Of(TableWrite.Insert(entity));
        return WriteOneAsync(table, write, cancellationToken)!;
    }

    public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        TableStoreRules.ValidateIfMatch(ifMatch);
        var write = Prepared.Of(TableWrite.Replace(entity, ifMatch));
        return WriteOneAsync(table, write, cancellationToken)!;
    }

    public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        TableStoreRules.ValidateEntity(entity, nameof(entity));
        var write = Prepared.Of(TableWrite.Upsert(entity));
        return WriteOneAsync(table, write, cancellationToken)!;
    }

    public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        TableStoreRules.ValidateIfMatch(ifMatch);
        var write = Prepared.Of(TableWrite.Delete(partitionKey, rowKey, ifMatch));
        return WriteOneAsync(table, write, cancellationToken);
    }

    /// <summary>All-or-nothing inside the committing group: the writes share one savepoint, rolled back on the first failure.</summary>
    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTransaction(table, writes);
        var prepared = writes.Select(Prepared.Of).ToArray();
        return WriteAsync<IReadOnlyList<string?>>(table, singleStatement: prepared.Length == 1, operation: async (connection, ct) =>
        {
            await RequireTableAsync(connection, table, ct);
            var etags = new string?[prepared.Length];
            for (var i = 0; i < prepared.Length; i++)
            {
                etags[i] = await ApplyAsync(connection, table, prepared[i], ct, failedWriteIndex: i);
            }

            return etags;
        }, cancellationToken);
    }

    public Task<TablePage> QueryPartitionAsync(
        string table,
        string partitionKey,
        string? rowKeyFrom,
        string? rowKeyTo,
        int maxPerPage,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateQuery(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage);
        var resumeAt = continuationToken is null ? null : DecodeContinuation(continuationToken);

        var sql = new StringBuilder($"""SELECT RowKey, ETag, Properties FROM "{table}" WHERE PartitionKey = $pk""");
        var parameters = new List<(string, object)> { ("$pk", partitionKey), ("$limit", maxPerPage + 1) };
        AddLowerBound(sql, parameters, "$from", rowKeyFrom);
        AddLowerBound(sql, parameters, "$resume", resumeAt);
        if (rowKeyTo is not null)
        {
            sql.Append(" AND RowKey < $to");
            parameters.Add(("$to", rowKeyTo));
        }

        // One row past the page tells whether there is a next page without handing out a token that leads nowhere.
        sql.Append(" ORDER BY RowKey LIMIT $limit");

        return RunAsync(table, async (connection, ct) =>
        {
            if (!await TableExistsAsync(connection, table, ct))
            {
                return new TablePage([], null);
            }

            await using var command = Command(connection, sql.ToString(), [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entities = new List<TableEntity>(Math.Min(maxPerPage, 100));
            while (await reader.ReadAsync(ct))
            {
                var rowKey = reader.GetString(0);
                if (entities.Count == maxPerPage)
                {
                    return new TablePage(entities, EncodeContinuation(rowKey));
                }

                entities.Add(ToEntity(partitionKey, rowKey, reader.GetString(1), reader.GetString(2)));
            }

            return new TablePage(entities, null);
        }, cancellationToken);
    }

    /// <summary>Returns this store's idle pooled connections to the operating system, releasing the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>One insert, upsert, replace or delete: one statement, whose contract check is in its own ON CONFLICT or WHERE.</summary>
    private Task<string?> WriteOneAsync(string table, Prepared write, CancellationToken cancellationToken) =>
        WriteAsync(table, singleStatement: true, operation: async (connection, ct) =>
        {
            await RequireTableAsync(connection, table, ct);
            return await ApplyAsync(connection, table, write, ct);
        }, cancellationToken: cancellationToken);

    /// <param name="singleStatement">See <see cref="GroupCommit.EnqueueAsync{T}"/>: true runs the write without a savepoint.</param>
    private Task<T> WriteAsync<T>(string table, bool singleStatement, Func<SqliteConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Once taken into a group a write is not cancelled halfway: its statements run and its caller hears the outcome.
        return _groupCommit.EnqueueAsync(
            connection => operation(connection, CancellationToken.None),
            failure => Translate(table, failure),
            singleStatement,
            cancellationToken);
    }

    private async Task<T> RunAsync<T>(string table, Func<SqliteConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await operation(connection, cancellationToken);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw Translate(table, e);
        }
    }

    /// <summary>What a caller sees for a failure of SQLite or the file: storage unavailable; anything else unchanged.</summary>
    private static Exception Translate(string table, Exception failure) => failure switch
    {
        SqliteException e => new StorageUnavailableException(
            $"SQLite could not complete an operation on table '{table}' (SQLite error {e.SqliteErrorCode}).", e),
        IOException or UnauthorizedAccessException =>
            new StorageUnavailableException("The SQLite database file or its directory could not be opened or created.", failure),
        InvalidDataException => new StorageUnavailableException($"Table '{table}' holds an entity whose properties cannot be read.", failure),
        _ => failure,
    };

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            // The default of this SQLite build, stated so that a build with another default cannot weaken it: a write
            // is acknowledged only after the WAL holding it reached the disk.
            await ExecuteAsync(connection, "PRAGMA synchronous = FULL", [], cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_fileReady)
        {
            Directory.CreateDirectory(_directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // SQLite's own busy handler waits in short steps, unlike the coarse retry loop of Microsoft.Data.Sqlite.
            SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMilliseconds), connection.Handle);
            if (!_fileReady)
            {
                // WAL lets readers go on while a writer commits, and it is stored in the file, so once per store suffices.
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", [], cancellationToken);
                _fileReady = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies one write on an open connection; returns the new ETag (null for a delete) or throws what the contract says.</summary>
    private static async Task<string?> ApplyAsync(
        SqliteConnection connection, string table, Prepared write, CancellationToken cancellationToken, int? failedWriteIndex = null)
    {
        var (kind, pk, rk, ifMatch) = (write.Write.Kind, write.Write.Entity.PartitionKey, write.Write.Entity.RowKey, write.Write.IfMatch);
        int changed;
        switch (kind)
        {
            case TableWriteKind.Insert:
                changed = await ExecuteAsync(connection, $"""
                    INSERT INTO "{table}" (PartitionKey, RowKey, ETag, Properties) VALUES ($pk, $rk, $etag, $properties)
                    ON CONFLICT (PartitionKey, RowKey) DO NOTHING
                    """,
                    [("$pk", pk), ("$rk", rk), ("$etag", write.ETag), ("$properties", write.Properties)], cancellationToken);
                return changed == 1 ? write.ETag : throw new EntityAlreadyExistsException(table) { FailedWriteIndex = failedWriteIndex };
            case TableWriteKind.Upsert:
                await ExecuteAsync(connection, $"""
                    INSERT INTO "{table}" (PartitionKey, RowKey, ETag, Properties) VALUES ($pk, $rk, $etag, $properties)
                    ON CONFLICT (PartitionKey, RowKey) DO UPDATE SET ETag = excluded.ETag, Properties = excluded.Properties
                    """,
                    [("$pk", pk), ("$rk", rk), ("$etag", write.ETag), ("$properties", write.Properties)], cancellationToken);
                return write.ETag;
            case TableWriteKind.Replace:
                var update = $"""UPDATE "{table}" SET ETag = $etag, Properties = $properties WHERE PartitionKey = $pk AND RowKey = $rk""";
                changed = ifMatch == TableStoreRules.AnyETag
                    ? await ExecuteAsync(connection, update,
                        [("$pk", pk), ("$rk", rk), ("$etag", write.ETag), ("$properties", write.Properties)], cancellationToken)
                    : await ExecuteAsync(connection, update + " AND ETag = $ifMatch",
                        [("$pk", pk), ("$rk", rk), ("$etag", write.ETag), ("$properties", write.Properties), ("$ifMatch", ifMatch!)], cancellationToken);
                break;
            default:
                var delete = $"""DELETE FROM "{table}" WHERE PartitionKey = $pk AND RowKey = $rk""";
                changed = ifMatch == TableStoreRules.AnyETag
                    ? await ExecuteAsync(connection, delete, [("$pk", pk), ("$rk", rk)], cancellationToken)
                    : await ExecuteAsync(connection, delete + " AND ETag = $ifMatch", [("$pk", pk), ("$rk", rk), ("$ifMatch", ifMatch!)], cancellationToken);
                break;
        }

        if (changed == 1)
        {
            return kind == TableWriteKind.Delete ? null : write.ETag;
        }

        // Nothing was written either way; whichever answer the follow-up read gives was true at that moment.
        throw await ExistsAsync(connection, table, pk, rk, cancellationToken)
            ? new PreconditionFailedException(table) { FailedWriteIndex = failedWriteIndex }
            : new EntityNotFoundException(table) { FailedWriteIndex = failedWriteIndex };
    }

    /// <summary>A write with its new ETag and encoded properties, made before any lock is taken.</summary>
    private sealed record Prepared(TableWrite Write, string ETag, string Properties)
    {
        public static Prepared Of(TableWrite write) =>
            new(write, NewETag(), write.Kind == TableWriteKind.Delete ? "" : PropertiesJson.Encode(write.Entity.Properties));
    }

    private async Task<bool> TableExistsAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        if (_knownTables.ContainsKey(table))
        {
            return true;
        }

        await using var command = Command(connection,
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name COLLATE NOCASE", ("$name", table));
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return false;
        }

        _knownTables.TryAdd(table, 0);
        return true;
    }

    private async Task RequireTableAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        if (!await TableExistsAsync(connection, table, cancellationToken))
        {
            throw new StorageUnavailableException(
                $"Table '{table}' does not exist; create it with CreateTableIfNotExistsAsync before writing to it.");
        }
    }

    private static async Task<bool> ExistsAsync(
        SqliteConnection connection, string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            $"""SELECT 1 FROM "{table}" WHERE PartitionKey = $pk AND RowKey = $rk""", ("$pk", partitionKey), ("$rk", rowKey));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Table names reach SQL text only after TableStoreRules limited them to ASCII letters and digits; all values are parameters.
    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static void AddLowerBound(StringBuilder sql, List<(string, object)> parameters, string name, string? bound)
    {
        if (bound is not null)
        {
            sql.Append(" AND RowKey >= ").Append(name);
            parameters.Add((name, bound));
        }
    }

    private static TableEntity ToEntity(string partitionKey, string rowKey, string etag, string properties) =>
        new(partitionKey, rowKey, PropertiesJson.Decode(properties)) { ETag = etag };

    private static string NewETag() => $"W/\"{Guid.NewGuid():N}\"";

    private static string EncodeContinuation(string nextRowKey) => ContinuationToken.Encode(ContinuationPrefix, nextRowKey);

    // The token only positions the scan: partition and range still come from the caller, so a forged one reveals nothing more.
    private static string DecodeContinuation(string continuationToken)
    {
        var rowKey = ContinuationToken.Decode(ContinuationPrefix, continuationToken);
        try
        {
            TableStoreRules.ValidateKey(rowKey, nameof(TableEntity.RowKey), nameof(continuationToken));
        }
        catch (ArgumentException e)
        {
            throw ContinuationToken.Rejected(nameof(continuationToken), e);
        }

        return rowKey;
    }
}
