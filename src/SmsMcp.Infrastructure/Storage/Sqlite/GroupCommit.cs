using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// Group commit for one store: the writes that queue up while a commit is on disk are applied together in the next
/// SQLite transaction, so eight concurrent writers pay for one fsync instead of eight.
/// </summary>
/// <remarks>
/// <para>A contract answer (entity exists, precondition failed, not found, missing table) is handed to its caller and
/// the others in the group go on; nothing of the refused write may stay. A write of several statements runs inside its
/// own savepoint, rolled back on its answer. A write of one data-changing statement whose contract check is part of that
/// statement (ON CONFLICT DO NOTHING, WHERE ETag = …) needs none: when it answers, that statement changed nothing, and a
/// statement that fails is undone by SQLite itself (or fails the group) — so it saves the SAVEPOINT and RELEASE that
/// would otherwise be two of every three statements a group runs.</para>
/// <para>Callers are answered only after COMMIT returned (with <c>synchronous=FULL</c>, after the WAL was synced).
/// If anything else fails — BEGIN, a statement, COMMIT — the whole group is rolled back and every caller in it gets
/// the failure, including those whose own write had succeeded or had a contract answer: nobody is told "durable"
/// (or "not written because…") about a transaction that did not commit.</para>
/// <para>The committer keeps one writer session (connection and prepared statements) from group to group; a group
/// that fails closes it, and the next group opens a fresh one, so no state of a failed transaction is carried on.</para>
/// </remarks>
internal sealed class GroupCommit : IDisposable
{
    /// <summary>Bounds one transaction, so a long queue cannot hold the write lock against other processes for long.</summary>
    internal const int MaxWritesPerGroup = 128;

    /// <summary>The meter of the embedded store (exported with the other SmsMcp.* meters; dotnet-counters reads it too).</summary>
    public const string MeterName = "SmsMcp.Storage.Sqlite";

    /// <summary>Writes per committed group: how much concurrent writers share a sync of the file.</summary>
    public const string GroupWrites = "smsmcp.sqlite.group_writes";

    /// <summary>Time from BEGIN to the end of COMMIT (which includes the sync), per group.</summary>
    public const string CommitDuration = "smsmcp.sqlite.commit_duration";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> GroupWritesHistogram =
        Meter.CreateHistogram<int>(GroupWrites, unit: "{write}", description: "Writes committed together in one SQLite transaction.");
    private static readonly Histogram<double> CommitDurationHistogram =
        Meter.CreateHistogram<double>(CommitDuration, unit: "ms", description: "BEGIN to COMMIT of one group, the sync included.");

    private readonly Func<SqliteSession> _open;
    private readonly Func<CancellationToken, ValueTask>? _beforeCommit;
    private readonly ConcurrentQueue<PendingWrite> _queue = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // 1 while a commit loop runs; whoever holds it owns _writer. After disposal it is taken for good.
    private int _committing;
    private volatile bool _disposed;
    private SqliteSession? _writer;
    private int _writersOpened;

    /// <param name="open">Opens a writer session on the store's file (synchronous=FULL set).</param>
    /// <param name="beforeCommit">Runs just before COMMIT; tests inject a failure there. Null in production.</param>
    public GroupCommit(Func<SqliteSession> open, Func<CancellationToken, ValueTask>? beforeCommit)
    {
        _open = open;
        _beforeCommit = beforeCommit;
    }

    /// <summary>Writer sessions opened so far: one, unless a group failed (tests check reuse and replacement).</summary>
    internal int WritersOpened => Volatile.Read(ref _writersOpened);

    /// <summary>Queues a write; the task ends once the group holding it committed (or failed).</summary>
    /// <param name="apply">The write's statements on the group's connection; throws a contract exception to refuse.</param>
    /// <param name="translate">Turns a failure of the group into the exception this caller sees.</param>
    /// <param name="singleStatement">
    /// True only when <paramref name="apply"/> changes the database with at most one statement and refuses only when that
    /// statement changed nothing (reads before or after it are fine): the write then runs without a savepoint.
    /// </param>
    public Task<T> EnqueueAsync<T>(
        Func<SqliteSession, T> apply, Func<Exception, Exception> translate, bool singleStatement, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var write = new PendingWrite<T>(apply, translate, singleStatement, cancellationToken);
        _queue.Enqueue(write);
        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            _ = Task.Run(CommitLoopAsync, CancellationToken.None);
        }
        else if (_disposed && write.TryClaim())
        {
            // Disposal came after this write's check: refuse it here (nobody may run it once the loop has stopped), and
            // only it — writes queued before disposal are still the draining loop's to commit.
            write.Fail(new ObjectDisposedException(nameof(SqliteTableStore)));
        }

        return write.Task;
    }

    /// <summary>Refuses further writes, commits those already queued, then closes the writer session.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            Stop();
        }

        // A running loop stops once its queue is empty; wait so that the file is closed when Dispose returns.
        _stopped.Task.Wait();
    }

    private async Task CommitLoopAsync()
    {
        while (true)
        {
            var group = TakeGroup();
            if (group.Count == 0)
            {
                // Disposal lets the writes queued before it commit first; Dispose waits for them.
                if (_disposed)
                {
                    Stop();
                    return;
                }

                // Exchange, not a plain write: a full fence, so the disposed check below cannot be read before the release.
                Interlocked.Exchange(ref _committing, 0);
                // A writer that queued after TakeGroup (or Dispose) saw the flag still set and did nothing: take over.
                if ((_queue.IsEmpty && !_disposed) || Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            await CommitAsync(group);
        }
    }

    // Runs only while holding the loop flag, which it keeps: no loop starts again.
    private void Stop()
    {
        RefuseQueued();
        _writer?.Dispose();
        _writer = null;
        _stopped.TrySetResult();
    }

    private void RefuseQueued()
    {
        while (_queue.TryDequeue(out var write))
        {
            if (write.TryClaim())
            {
                write.Fail(new ObjectDisposedException(nameof(SqliteTableStore)));
            }
        }
    }

    private List<PendingWrite> TakeGroup()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxWritesPerGroup && _queue.TryDequeue(out var write))
        {
            // A write whose caller gave up before it was taken is dropped here; once taken, it runs to the end.
            if (write.TryClaim())
            {
                group.Add(write);
            }
        }

        return group;
    }

    private async Task CommitAsync(List<PendingWrite> group)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var session = _writer ??= OpenWriter();
            session.Exec("BEGIN IMMEDIATE");
            var committed = false;
            try
            {
                foreach (var write in group)
                {
                    Apply(session, write);
                }

                if (_beforeCommit is not null)
                {
                    await _beforeCommit(CancellationToken.None);
                }

                session.Exec("COMMIT");
                committed = true;
            }
            finally
            {
                if (!committed)
                {
                    RollBackQuietly(session);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever failed, the next group starts on a fresh session rather than on one left in an unknown state.
            _writer?.Dispose();
            _writer = null;
            foreach (var write in group)
            {
                write.Fail(e);
            }

            return;
        }

        CommitDurationHistogram.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        GroupWritesHistogram.Record(group.Count);
        foreach (var write in group)
        {
            write.Complete();
        }
    }

    private SqliteSession OpenWriter()
    {
        var session = _open();
        Interlocked.Increment(ref _writersOpened);
        return session;
    }

    private static void Apply(SqliteSession session, PendingWrite write)
    {
        if (write.SingleStatement)
        {
            try
            {
                write.Apply(session);
            }
            catch (Exception e) when (IsContractAnswer(e))
            {
                write.Refuse(e);
            }

            return;
        }

        session.Exec("SAVEPOINT w");
        try
        {
            write.Apply(session);
        }
        catch (Exception e) when (IsContractAnswer(e))
        {
            write.Refuse(e);
            session.Exec("ROLLBACK TO w");
        }

        session.Exec("RELEASE w");
    }

    // What the contract lets one write answer without the group failing: nothing of that write was kept.
    private static bool IsContractAnswer(Exception e) =>
        e is EntityAlreadyExistsException or PreconditionFailedException or EntityNotFoundException or StorageUnavailableException;

    private static void RollBackQuietly(SqliteSession session)
    {
        try
        {
            session.Exec("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (a failed COMMIT can end the transaction itself); the callers get the first error.
        }
    }

    private abstract class PendingWrite
    {
        private const int Queued = 0;
        private const int Claimed = 1;
        private const int Abandoned = 2;
        private int _state;

        /// <summary>True if the write is now the committer's; false if its caller already cancelled it.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

        protected bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

        public abstract bool SingleStatement { get; }

        public abstract void Apply(SqliteSession session);

        public abstract void Refuse(Exception answer);

        public abstract void Complete();

        public abstract void Fail(Exception groupFailure);
    }

    private sealed class PendingWrite<T> : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<SqliteSession, T> _apply;
        private readonly Func<Exception, Exception> _translate;
        private readonly CancellationTokenRegistration _cancellation;
        private T _result = default!;
        private Exception? _answer;

        public PendingWrite(Func<SqliteSession, T> apply, Func<Exception, Exception> translate, bool singleStatement, CancellationToken cancellationToken)
        {
            _apply = apply;
            _translate = translate;
            SingleStatement = singleStatement;
            _cancellation = cancellationToken.Register(() =>
            {
                if (TryAbandon())
                {
                    _done.TrySetCanceled(cancellationToken);
                }
            });
        }

        public Task<T> Task => _done.Task;

        public override bool SingleStatement { get; }

        public override void Apply(SqliteSession session) => _result = _apply(session);

        public override void Refuse(Exception answer) => _answer = answer;

        public override void Complete()
        {
            _cancellation.Dispose();
            if (_answer is null)
            {
                _done.TrySetResult(_result);
            }
            else
            {
                _done.TrySetException(_answer);
            }
        }

        public override void Fail(Exception groupFailure)
        {
            _cancellation.Dispose();
            _done.TrySetException(_translate(groupFailure));
        }
    }
}
