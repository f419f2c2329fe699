using System.Collections.Concurrent;
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
    private const string TableExistsSql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE";

    private readonly string _path;
    private readonly string _directory;
    private readonly int _busyTimeoutMilliseconds;

    // Tables are never dropped, so a table once seen stays valid; absence is re-checked because another process may create it.
    private readonly ConcurrentDictionary<string, byte> _knownTables = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TableSql> _sql = new(StringComparer.Ordinal);
    private volatile bool _fileReady;
    private volatile bool _disposed;

    // Writes of this process go through one committer (SQLite admits one writer anyway, and its busy handler backs
    // off in coarse sleeps, which under concurrent sends turned p99 into seconds); the writes that queue while one
    // transaction is being synced share the next one. Other processes still meet the busy timeout.
    private readonly GroupCommit _groupCommit;

    // Reads run on kept sessions with their statements prepared; SQLite's work per read is then a bind and a step.
    private readonly ReaderSessions _readers;

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

        _path = Path.GetFullPath(options.Path);
        _directory = Path.GetDirectoryName(_path)!;
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _groupCommit = new GroupCommit(OpenWriter, beforeCommit);
        _readers = new ReaderSessions(Open);
    }

    /// <summary>Writer sessions the committer opened so far (tests check that one is kept, and replaced after a failure).</summary>
    internal int WritersOpened => _groupCommit.WritersOpened;

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateTableName(table);
        var sql = Sql(table);
        await WriteAsync(table, singleStatement: false, operation: session =>
        {
            session.Exec(sql.Create);
            return true;
        }, cancellationToken);

        // Known only once committed: a group that rolled back must not leave the table taken for existing.
        _knownTables.TryAdd(table, 0);
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        TableStoreRules.ValidateAddress(table, partitionKey, rowKey);
        var sql = Sql(table);
        return Read(table, session =>
        {
            if (!TableExists(session, table))
            {
                return null;
            }

            var get = session.Statement(sql.Get);
            try
            {
                session.Bind(get, 1, partitionKey);
                session.Bind(get, 2, rowKey);
                return session.Step(get)
                    ? ToEntity(partitionKey, rowKey, SqliteSession.Text(get, 0), SqliteSession.Utf8(get, 1))
                    : null;
            }
            finally
            {
                SqliteSession.Reset(get);
            }
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
        var prepared = new Prepared[writes.Count];
        for (var i = 0; i < prepared.Length; i++)
        {
            prepared[i] = Prepared.Of(writes[i]);
        }

        var sql = Sql(table);
        return WriteAsync<IReadOnlyList<string?>>(table, singleStatement: prepared.Length == 1, operation: session =>
        {
            RequireTable(session, table);
            var etags = new string?[prepared.Length];
            for (var i = 0; i < prepared.Length; i++)
            {
                etags[i] = Apply(session, sql, prepared[i], failedWriteIndex: i);
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
        var sql = Sql(table).Query(rowKeyFrom is not null, resumeAt is not null, rowKeyTo is not null);

        return Read(table, session =>
        {
            if (!TableExists(session, table))
            {
                return new TablePage([], null);
            }

            var query = session.Statement(sql);
            try
            {
                session.Bind(query, 1, partitionKey);
                session.Bind(query, 2, maxPerPage + 1);
                BindIfGiven(session, query, 3, rowKeyFrom);
                BindIfGiven(session, query, 4, resumeAt);
                BindIfGiven(session, query, 5, rowKeyTo);
                var entities = new List<TableEntity>(Math.Min(maxPerPage, 100));
                while (session.Step(query))
                {
                    var rowKey = SqliteSession.Text(query, 0);
                    if (entities.Count == maxPerPage)
                    {
                        return new TablePage(entities, EncodeContinuation(rowKey));
                    }

                    entities.Add(ToEntity(partitionKey, rowKey, SqliteSession.Text(query, 1), SqliteSession.Utf8(query, 2)));
                }

                return new TablePage(entities, null);
            }
            finally
            {
                SqliteSession.Reset(query);
            }
        }, cancellationToken);
    }

    /// <summary>Closes this store's sessions (after a group being committed has been answered), releasing the file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _groupCommit.Dispose();
        _readers.Dispose();
    }

    private TableSql Sql(string table) => _sql.GetOrAdd(table, static name => new TableSql(name));

    /// <summary>One insert, upsert, replace or delete: one statement, whose contract check is in its own ON CONFLICT or WHERE.</summary>
    private Task<string?> WriteOneAsync(string table, Prepared write, CancellationToken cancellationToken)
    {
        var sql = Sql(table);
        return WriteAsync(table, singleStatement: true, operation: session =>
        {
            RequireTable(session, table);
            return Apply(session, sql, write);
        }, cancellationToken: cancellationToken);
    }

    /// <param name="singleStatement">See <see cref="GroupCommit.EnqueueAsync{T}"/>: true runs the write without a savepoint.</param>
    private Task<T> WriteAsync<T>(string table, bool singleStatement, Func<SqliteSession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Once taken into a group a write is not cancelled halfway: its statements run and its caller hears the outcome.
        return _groupCommit.EnqueueAsync(operation, failure => Translate(table, failure), singleStatement, cancellationToken);
    }

    // A read is a bind and a step or a few on a kept session: it runs on the caller's thread, without a hop. Failures
    // come back in the task, as from an async method.
    private Task<T> Read<T>(string table, Func<SqliteSession, T> operation, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteTableStore)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        SqliteSession? session = null;
        try
        {
            session = _readers.Rent();
            var result = operation(session);
            _readers.Return(session, healthy: true);
            return Task.FromResult(result);
        }
        catch (Exception e)
        {
            if (session is not null)
            {
                _readers.Return(session, healthy: false);
            }

            return Task.FromException<T>(Translate(table, e));
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

    private SqliteSession OpenWriter()
    {
        var session = Open();
        try
        {
            // The default of this SQLite build, stated so that a build with another default cannot weaken it: a write
            // is acknowledged only after the WAL holding it reached the disk.
            session.Exec("PRAGMA synchronous = FULL");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private SqliteSession Open()
    {
        if (!_fileReady)
        {
            Directory.CreateDirectory(_directory);
        }

        var session = new SqliteSession(_path, _busyTimeoutMilliseconds);
        try
        {
            if (!_fileReady)
            {
                // WAL lets readers go on while a writer commits, and it is stored in the file, so once per store suffices.
                session.Exec("PRAGMA journal_mode = WAL");
                _fileReady = true;
            }

            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Applies one write on the writer session; returns the new ETag (null for a delete) or throws what the contract says.</summary>
    private static string? Apply(SqliteSession session, TableSql sql, Prepared write, int? failedWriteIndex = null)
    {
        var (kind, ifMatch) = (write.Write.Kind, write.Write.IfMatch);
        var matchETag = kind is TableWriteKind.Replace or TableWriteKind.Delete && ifMatch != TableStoreRules.AnyETag;
        var statement = session.Statement(kind switch
        {
            TableWriteKind.Insert => sql.Insert,
            TableWriteKind.Upsert => sql.Upsert,
            TableWriteKind.Replace => matchETag ? sql.ReplaceIfMatch : sql.Replace,
            _ => matchETag ? sql.DeleteIfMatch : sql.Delete,
        });
        session.Bind(statement, 1, write.Write.Entity.PartitionKey);
        session.Bind(statement, 2, write.Write.Entity.RowKey);
        if (kind != TableWriteKind.Delete)
        {
            session.Bind(statement, 3, write.ETag);
            session.Bind(statement, 4, write.Properties);
        }

        if (matchETag)
        {
            session.Bind(statement, 5, ifMatch!);
        }

        var changed = session.Execute(statement);
        if (kind == TableWriteKind.Upsert || changed == 1)
        {
            return kind == TableWriteKind.Delete ? null : write.ETag;
        }

        if (kind == TableWriteKind.Insert)
        {
            throw new EntityAlreadyExistsException(sql.Table) { FailedWriteIndex = failedWriteIndex };
        }

        // Nothing was written either way; whichever answer the follow-up read gives was true at that moment.
        throw Exists(session, sql, write.Write.Entity.PartitionKey, write.Write.Entity.RowKey)
            ? new PreconditionFailedException(sql.Table) { FailedWriteIndex = failedWriteIndex }
            : new EntityNotFoundException(sql.Table) { FailedWriteIndex = failedWriteIndex };
    }

    /// <summary>A write with its new ETag and encoded properties, made before any lock is taken.</summary>
    private sealed record Prepared(TableWrite Write, string ETag, byte[] Properties)
    {
        public static Prepared Of(TableWrite write) =>
            new(write, NewETag(), write.Kind == TableWriteKind.Delete ? [] : PropertiesJson.Encode(write.Entity.Properties));
    }

    /// <param name="session">The session to ask.</param>
    /// <param name="table">The table.</param>
    /// <param name="remember">Whether a yes may be cached: not on the writer, whose group may have created the table and
    /// may still roll back.</param>
    private bool TableExists(SqliteSession session, string table, bool remember = true)
    {
        if (_knownTables.ContainsKey(table))
        {
            return true;
        }

        var exists = session.Statement(TableExistsSql);
        try
        {
            session.Bind(exists, 1, table);
            if (!session.Step(exists))
            {
                return false;
            }
        }
        finally
        {
            SqliteSession.Reset(exists);
        }

        if (remember)
        {
            _knownTables.TryAdd(table, 0);
        }

        return true;
    }

    private void RequireTable(SqliteSession session, string table)
    {
        if (!TableExists(session, table, remember: false))
        {
            throw new StorageUnavailableException(
                $"Table '{table}' does not exist; create it with CreateTableIfNotExistsAsync before writing to it.");
        }
    }

    private static bool Exists(SqliteSession session, TableSql sql, string partitionKey, string rowKey)
    {
        var exists = session.Statement(sql.Exists);
        try
        {
            session.Bind(exists, 1, partitionKey);
            session.Bind(exists, 2, rowKey);
            return session.Step(exists);
        }
        finally
        {
            SqliteSession.Reset(exists);
        }
    }

    private static void BindIfGiven(SqliteSession session, SQLitePCL.sqlite3_stmt statement, int index, string? value)
    {
        if (value is not null)
        {
            session.Bind(statement, index, value);
        }
    }

    private static TableEntity ToEntity(string partitionKey, string rowKey, string etag, ReadOnlySpan<byte> properties) =>
        new(partitionKey, rowKey, PropertiesJson.Decode(properties)) { ETag = etag };

    // 128 random bits from the shared generator: unique enough to tell writes apart (which is all an ETag is for; it
    // guards nothing a reader could not read anyway), without Guid.NewGuid's system call on every write.
    private static string NewETag() => string.Create(36, 0, static (chars, _) =>
    {
        Span<byte> random = stackalloc byte[16];
        Random.Shared.NextBytes(random);
        "W/\"".CopyTo(chars);
        Convert.TryToHexStringLower(random, chars[3..35], out _);
        chars[35] = '"';
    });

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
