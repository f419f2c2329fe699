using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>
/// Group commit in the SQLite store: concurrent writes share one transaction, yet each keeps its own outcome, a
/// transaction stays all-or-nothing, and a failed commit fails every member and keeps nothing of the group.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private const string Table = "Things";
    private const string StaleETag = "W/\"00000000000000000000000000000000\"";

    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly List<SqliteTableStore> _stores = [];

    private string DatabasePath => _directory.File("group.db");

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }

    // ---- one group, held open so its membership is known -------------------------------------------------------------

    [Fact]
    public async Task WritesQueuedDuringACommit_ShareTheNextTransaction_EachWithItsOwnOutcome()
    {
        var gate = new CommitGate();
        var store = NewStore(gate.BeforeCommitAsync);
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await store.InsertAsync(Table, Entity("p", "taken", 1), Ct);
        var commitsBefore = gate.Commits;

        // The first write holds its group at COMMIT; everything queued meanwhile forms the second group.
        gate.HoldNext();
        var first = store.UpsertAsync(Table, Entity("p", "first", 1), Ct);
        await gate.Held;
        var inserted = store.InsertAsync(Table, Entity("p", "new", 2), Ct);
        var duplicate = store.InsertAsync(Table, Entity("p", "taken", 3), Ct);
        var stale = store.ReplaceAsync(Table, Entity("p", "taken", 4), StaleETag, Ct);
        var missing = store.DeleteAsync(Table, "p", "nowhere", "*", Ct);
        var halfTransaction = store.SubmitTransactionAsync(Table,
            [TableWrite.Insert(Entity("p", "tx-1", 5)), TableWrite.Insert(Entity("p", "taken", 6))], Ct);
        var upserted = store.UpsertAsync(Table, Entity("p", "last", 7), Ct);
        gate.Release();

        await first;
        var insertedETag = await inserted;
        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => duplicate);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => stale);
        await Assert.ThrowsAsync<EntityNotFoundException>(() => missing);
        var refused = await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => halfTransaction);
        Assert.Equal(1, refused.FailedWriteIndex);
        var upsertedETag = await upserted;

        Assert.Equal(commitsBefore + 2, gate.Commits);
        var reader = NewStore();
        Assert.Equal(insertedETag, (await reader.GetAsync(Table, "p", "new", Ct))!.ETag);
        Assert.Equal(upsertedETag, (await reader.GetAsync(Table, "p", "last", Ct))!.ETag);
        Assert.Equal(1L, (await reader.GetAsync(Table, "p", "taken", Ct))!.Get<long>("V"));
        Assert.Null(await reader.GetAsync(Table, "p", "tx-1", Ct));
    }

    [Fact]
    public async Task RefusedSingleStatementWrites_RunWithoutSavepoint_LeaveNothing_AndKeepTheGroupsEarlierWritesToTheSameRow()
    {
        var gate = new CommitGate();
        var store = NewStore(gate.BeforeCommitAsync);
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        var firstETag = await store.InsertAsync(Table, Entity("p", "row", 1), Ct);
        var commitsBefore = gate.Commits;

        // One group: a replace of the row, then writes to that row which each refuse (no savepoint to roll back to), a
        // one-write transaction that refuses, then a replace that matches what the group itself wrote.
        gate.HoldNext();
        var holder = store.UpsertAsync(Table, Entity("p", "holder", 0), Ct);
        await gate.Held;
        var replaced = store.ReplaceAsync(Table, Entity("p", "row", 2), firstETag, Ct);
        var staleReplace = store.ReplaceAsync(Table, Entity("p", "row", 3), firstETag, Ct);
        var staleDelete = store.DeleteAsync(Table, "p", "row", firstETag, Ct);
        var duplicate = store.InsertAsync(Table, Entity("p", "row", 4), Ct);
        var oneWriteTransaction = store.SubmitTransactionAsync(Table, [TableWrite.Insert(Entity("p", "row", 5))], Ct);
        gate.Release();
        await holder;
        var replacedETag = await replaced;
        await Assert.ThrowsAsync<PreconditionFailedException>(() => staleReplace);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => staleDelete);
        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => duplicate);
        Assert.Equal(0, (await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => oneWriteTransaction)).FailedWriteIndex);

        Assert.Equal(commitsBefore + 2, gate.Commits);
        var stored = (await NewStore().GetAsync(Table, "p", "row", Ct))!;
        Assert.Equal((replacedETag, 2L), (stored.ETag, stored.Get<long>("V")));
    }

    [Fact]
    public async Task CommitFailure_FailsEveryMemberOfTheGroup_AndLeavesTheFileUnchanged()
    {
        var gate = new CommitGate();
        var store = NewStore(gate.BeforeCommitAsync);
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        var takenETag = await store.InsertAsync(Table, Entity("p", "taken", 1), Ct);
        var before = await SnapshotAsync(DatabasePath);

        gate.HoldNext();
        var first = store.UpsertAsync(Table, Entity("p", "first", 1), Ct);
        await gate.Held;
        var members = new List<Task>
        {
            store.InsertAsync(Table, Entity("p", "new", 2), Ct),
            store.InsertAsync(Table, Entity("p", "taken", 3), Ct), // would be refused on its own
            store.ReplaceAsync(Table, Entity("p", "taken", 4), takenETag, Ct),
            store.DeleteAsync(Table, "p", "first", "*", Ct),
            store.SubmitTransactionAsync(Table, [TableWrite.Insert(Entity("q", "a", 5)), TableWrite.Upsert(Entity("q", "b", 6))], Ct),
        };
        gate.FailNext();
        gate.Release();
        await first;
        var afterFirst = await SnapshotAsync(DatabasePath);

        foreach (var member in members)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() => member);
        }

        Assert.NotEqual(before, afterFirst);
        Assert.Equal(afterFirst, await SnapshotAsync(DatabasePath));
        var reader = NewStore();
        Assert.Equal(takenETag, (await reader.GetAsync(Table, "p", "taken", Ct))!.ETag);
        Assert.NotNull(await reader.GetAsync(Table, "p", "first", Ct));
        Assert.Null(await reader.GetAsync(Table, "p", "new", Ct));
        Assert.Null(await reader.GetAsync(Table, "q", "a", Ct));

        // The store is not left broken: the next group commits.
        await store.InsertAsync(Table, Entity("p", "new", 2), Ct);
        Assert.NotNull(await reader.GetAsync(Table, "p", "new", Ct));
    }

    [Fact]
    public async Task WriteCancelledWhileQueued_IsNeverApplied()
    {
        var gate = new CommitGate();
        var store = NewStore(gate.BeforeCommitAsync);
        await store.CreateTableIfNotExistsAsync(Table, Ct);

        gate.HoldNext();
        var first = store.UpsertAsync(Table, Entity("p", "first", 1), Ct);
        await gate.Held;
        using var cancel = new CancellationTokenSource();
        var cancelled = store.InsertAsync(Table, Entity("p", "cancelled", 2), cancel.Token);
        await cancel.CancelAsync();
        var kept = store.InsertAsync(Table, Entity("p", "kept", 3), Ct);
        gate.Release();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Null(await store.GetAsync(Table, "p", "cancelled", Ct));
        Assert.NotNull(await store.GetAsync(Table, "p", "kept", Ct));
    }

    // ---- many concurrent writers against a model ---------------------------------------------------------------------

    [Fact]
    public async Task ConcurrentWritersWithGeneratedOperationMixes_AgreeWithTheModel()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        var cases = 0;
        var refusals = 0;

        // FsCheck generates the mixes; a property is synchronous, so each run is waited for off the test's context.
        var property = Prop.ForAll(Scenario().ToArbitrary(), writers =>
        {
            var outcome = Task.Run(() => RunScenarioAsync(store, writers)).GetAwaiter().GetResult();
            cases++;
            refusals += outcome;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);

        Assert.Equal(40, cases);
        Assert.True(refusals > 0, "The generated mixes should include refused writes, so refusals share groups with successes.");
    }

    [Fact]
    public async Task ConcurrentInsertsOfOneEntity_HaveExactlyOneWinner()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.InsertAsync(Table, Entity("p", "one", i), Ct);
                return true;
            }
            catch (EntityAlreadyExistsException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }

    // One writer's operations: each writer owns its partition, so its outcomes do not depend on how writers interleave.
    private static Gen<ModelWrite[][]> Scenario()
    {
        var write =
            from kind in Gen.Elements(TableWriteKind.Insert, TableWriteKind.Upsert, TableWriteKind.Replace, TableWriteKind.Delete)
            from row in Gen.Choose(0, 3)
            from match in Gen.Elements(Match.Current, Match.Current, Match.Stale, Match.Any)
            from value in Gen.Choose(0, 1000)
            select new ModelWrite(kind, row, match, value, []);
        var transaction =
            from parts in write.ArrayOf().Where(p => p.Length > 0)
            select new ModelWrite(null, 0, Match.Any, 0, [.. parts.DistinctBy(p => p.Row).Take(4)]);
        var operation = Gen.Frequency((4, write), (1, transaction));
        var writer = operation.ArrayOf().Select(ops => ops.Take(12).ToArray());
        return from count in Gen.Choose(2, 8) from writers in writer.ArrayOf(count) select writers;
    }

    private static async Task<int> RunScenarioAsync(SqliteTableStore store, ModelWrite[][] writers)
    {
        var run = Guid.NewGuid().ToString("N");
        var refusals = await Task.WhenAll(writers.Select((operations, index) => Task.Run(() => RunWriterAsync(store, $"{run}-{index}", operations))));
        return refusals.Sum();
    }

    private static async Task<int> RunWriterAsync(SqliteTableStore store, string partition, ModelWrite[] operations)
    {
        var model = new Dictionary<int, (string ETag, long Value)>();
        var refusals = 0;
        foreach (var operation in operations)
        {
            var writes = operation.Kind is null ? operation.Parts : [operation];
            var tableWrites = writes.Select(w => ToTableWrite(partition, w, model)).ToArray();
            var expected = Predict(writes, tableWrites, model);
            Exception? actual = null;
            IReadOnlyList<string?> etags = [];
            try
            {
                etags = operation.Kind is null
                    ? await store.SubmitTransactionAsync(Table, tableWrites, Ct)
                    : [await ApplySingleAsync(store, tableWrites[0])];
            }
            catch (StorageException e) when (e is not StorageUnavailableException)
            {
                actual = e;
            }

            Assert.Equal(expected.Error, actual?.GetType());
            if (actual is not null)
            {
                refusals++;
                if (operation.Kind is null)
                {
                    Assert.Equal(expected.FailedIndex, ((StorageException)actual).FailedWriteIndex);
                }

                continue;
            }

            for (var i = 0; i < writes.Length; i++)
            {
                if (writes[i].Kind == TableWriteKind.Delete)
                {
                    model.Remove(writes[i].Row);
                }
                else
                {
                    model[writes[i].Row] = (etags[i]!, writes[i].Value);
                }
            }
        }

        var stored = await store.QueryAllAsync(Table, partition, null, null, 100, Ct).ToListAsync(Ct);
        Assert.Equal(
            model.OrderBy(e => e.Key).Select(e => ($"r{e.Key}", e.Value.ETag, e.Value.Value)),
            stored.Select(e => (e.RowKey, e.ETag!, e.Get<long>("V"))));
        return refusals;
    }

    private static Task<string?> ApplySingleAsync(SqliteTableStore store, TableWrite write) => write.Kind switch
    {
        TableWriteKind.Insert => Wrap(store.InsertAsync(Table, write.Entity, Ct)),
        TableWriteKind.Upsert => Wrap(store.UpsertAsync(Table, write.Entity, Ct)),
        TableWriteKind.Replace => Wrap(store.ReplaceAsync(Table, write.Entity, write.IfMatch!, Ct)),
        _ => DeleteAsync(store, write),
    };

    private static async Task<string?> Wrap(Task<string> write) => await write;

    private static async Task<string?> DeleteAsync(SqliteTableStore store, TableWrite write)
    {
        await store.DeleteAsync(Table, write.Entity.PartitionKey, write.Entity.RowKey, write.IfMatch!, Ct);
        return null;
    }

    private static TableWrite ToTableWrite(string partition, ModelWrite write, Dictionary<int, (string ETag, long Value)> model)
    {
        var ifMatch = write.Match switch
        {
            Match.Any => TableStoreRules.AnyETag,
            Match.Current when model.TryGetValue(write.Row, out var current) => current.ETag,
            _ => StaleETag,
        };
        var entity = Entity(partition, $"r{write.Row}", write.Value);
        return write.Kind switch
        {
            TableWriteKind.Insert => TableWrite.Insert(entity),
            TableWriteKind.Upsert => TableWrite.Upsert(entity),
            TableWriteKind.Replace => TableWrite.Replace(entity, ifMatch),
            _ => TableWrite.Delete(partition, entity.RowKey, ifMatch),
        };
    }

    // The contract, for one writer alone: the first write that cannot apply decides, and nothing of its operation stays.
    private static (Type? Error, int? FailedIndex) Predict(
        ModelWrite[] writes, TableWrite[] tableWrites, Dictionary<int, (string ETag, long Value)> model)
    {
        var present = model.ToDictionary(e => e.Key, e => e.Value.ETag);
        for (var i = 0; i < writes.Length; i++)
        {
            var exists = present.TryGetValue(writes[i].Row, out var etag);
            var matches = tableWrites[i].IfMatch == TableStoreRules.AnyETag || tableWrites[i].IfMatch == etag;
            Type? error = writes[i].Kind switch
            {
                TableWriteKind.Insert when exists => typeof(EntityAlreadyExistsException),
                TableWriteKind.Replace or TableWriteKind.Delete when !exists => typeof(EntityNotFoundException),
                TableWriteKind.Replace or TableWriteKind.Delete when !matches => typeof(PreconditionFailedException),
                _ => null,
            };
            if (error is not null)
            {
                return (error, i);
            }

            if (writes[i].Kind == TableWriteKind.Delete)
            {
                present.Remove(writes[i].Row);
            }
            else
            {
                present[writes[i].Row] = "(written)";
            }
        }

        return (null, null);
    }

    private SqliteTableStore NewStore(Func<CancellationToken, ValueTask>? beforeCommit = null)
    {
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = DatabasePath }, beforeCommit);
        _stores.Add(store);
        return store;
    }

    // The committed content: the database file after a checkpoint of the WAL into it, read through a separate connection.
    private static async Task<string> SnapshotAsync(string path)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT group_concat(PartitionKey || '/' || RowKey || '/' || ETag || '/' || Properties, '|') FROM (SELECT * FROM \"{Table}\" ORDER BY PartitionKey, RowKey)";
        return (await command.ExecuteScalarAsync(Ct)) as string ?? "";
    }

    private static TableEntity Entity(string partitionKey, string rowKey, long value) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["V"] = value });

    private enum Match
    {
        Current,
        Stale,
        Any,
    }

    /// <summary>A single write (Kind set) or a transaction of distinct rows (Kind null, Parts set).</summary>
    private sealed record ModelWrite(TableWriteKind? Kind, int Row, Match Match, long Value, ModelWrite[] Parts);

    /// <summary>Runs before each COMMIT: can hold one group there until released, and fail the next commit.</summary>
    private sealed class CommitGate
    {
        private TaskCompletionSource? _hold;
        private TaskCompletionSource _held = new();
        private TaskCompletionSource _release = new();
        private int _commits;
        private volatile bool _failNext;

        public int Commits => Volatile.Read(ref _commits);

        public Task Held => _held.Task;

        public void HoldNext()
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _hold, _release);
        }

        public void Release() => _release.TrySetResult();

        public void FailNext() => _failNext = true;

        public async ValueTask BeforeCommitAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _hold, null) is { } release)
            {
                _held.TrySetResult();
                await release.Task.WaitAsync(cancellationToken);
                Interlocked.Increment(ref _commits);
                return;
            }

            if (_failNext)
            {
                _failNext = false;
                throw new IOException("Injected commit failure.");
            }

            Interlocked.Increment(ref _commits);
        }
    }
}
