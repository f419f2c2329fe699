using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// One open connection to the store's file with its statements prepared once and kept: a statement is compiled by
/// <c>sqlite3_prepare_v3</c> the first time its SQL text is used on this session and only reset and re-bound after
/// that. Used by one thread at a time (the committer, or the reader that rented it).
/// </summary>
/// <remarks>
/// A kept statement stays valid when the schema changes (another table created, here or by another process): SQLite
/// notices the changed schema cookie on the next step and recompiles it itself. A statement is kept only once it
/// compiled, so one against a table that did not exist yet is never cached. Errors surface as
/// <see cref="SqliteException"/>, as from Microsoft.Data.Sqlite.
/// </remarks>
internal sealed class SqliteSession : IDisposable
{
    private readonly sqlite3 _db;
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    /// <exception cref="SqliteException">The file could not be opened.</exception>
    public SqliteSession(string path, int busyTimeoutMilliseconds)
    {
        // One user at a time, so SQLite's own per-connection mutex is not needed (NOMUTEX); private cache as before.
        var rc = raw.sqlite3_open_v2(path, out _db,
            raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE | raw.SQLITE_OPEN_PRIVATECACHE | raw.SQLITE_OPEN_NOMUTEX, null);
        try
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
            // SQLite's own busy handler waits in short steps; it is the only retry: statements here are never re-run.
            SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(_db, busyTimeoutMilliseconds), _db);
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    /// <summary>Runs SQL without parameters or rows (BEGIN, COMMIT, savepoints, pragmas, DDL), uncached.</summary>
    public void Exec(string sql) => SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(_db, sql), _db);

    /// <summary>The kept statement for this SQL text, reset and with its parameters cleared; compiled on first use.</summary>
    public sqlite3_stmt Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            // PERSISTENT: the statement lives as long as the session, so SQLite takes its memory from the heap, not the lookaside.
            SqliteException.ThrowExceptionForRC(
                raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out statement, out _), _db);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    public void Bind(sqlite3_stmt statement, int index, string value) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, index, value), _db);

    /// <summary>Binds UTF-8 bytes as TEXT (SQLite copies them).</summary>
    public void Bind(sqlite3_stmt statement, int index, ReadOnlySpan<byte> utf8) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(statement, index, utf8), _db);

    public void Bind(sqlite3_stmt statement, int index, int value) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int(statement, index, value), _db);

    /// <summary>Steps a statement: true with a row to read, false when done. Throws on an error.</summary>
    public bool Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Runs a data-changing statement to its end and resets it; returns the rows it changed.</summary>
    public int Execute(sqlite3_stmt statement)
    {
        try
        {
            while (Step(statement))
            {
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset(statement);
        }
    }

    /// <summary>Ends a use of a kept statement: releases its read of the file and clears its parameters.</summary>
    public static void Reset(sqlite3_stmt statement)
    {
        // The error of a failed step is thrown from Step already; reset repeats it, so its code is ignored here.
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
    }

    public static string Text(sqlite3_stmt statement, int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

    /// <summary>A TEXT column's UTF-8 bytes, valid until the statement steps or resets.</summary>
    public static ReadOnlySpan<byte> Utf8(sqlite3_stmt statement, int column) => raw.sqlite3_column_blob(statement, column);

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _db.Dispose();
    }
}
