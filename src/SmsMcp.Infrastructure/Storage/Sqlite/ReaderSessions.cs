using System.Collections.Concurrent;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// The store's idle reader sessions: a read rents one (or opens one when none is idle) and hands it back, so its
/// prepared point-get and partition-query statements are reused by the next read instead of compiled again.
/// </summary>
internal sealed class ReaderSessions : IDisposable
{
    /// <summary>Idle sessions kept beyond this many are closed: enough for the concurrent readers of one process.</summary>
    internal const int MaxIdle = 16;

    private readonly Func<SqliteSession> _open;
    private readonly ConcurrentQueue<SqliteSession> _idle = new();
    private volatile bool _disposed;

    public ReaderSessions(Func<SqliteSession> open) => _open = open;

    public SqliteSession Rent() => _idle.TryDequeue(out var session) ? session : _open();

    /// <summary>Takes a session back; a session whose use failed is closed, not kept, in case its state is not clean.</summary>
    public void Return(SqliteSession session, bool healthy)
    {
        if (!healthy || _disposed || _idle.Count >= MaxIdle)
        {
            session.Dispose();
            return;
        }

        _idle.Enqueue(session);
        // Disposal may have drained the queue between the check and the enqueue: whoever sees it last closes what is left.
        if (_disposed)
        {
            CloseIdle();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryDequeue(out var session))
        {
            session.Dispose();
        }
    }
}
