using Microsoft.Data.Sqlite;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>
/// The store's kept sessions: one writer connection reused from group to group and replaced after a failed group,
/// prepared statements that stay right when the schema changes, and disposal that commits what was queued and then
/// closes every connection.
/// </summary>
public sealed class SqliteSessionTests : IDisposable
{
    private const string Table = "Things";

    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly List<SqliteTableStore> _stores = [];

    private string DatabasePath => _directory.File("sessions.db");

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task WriterSession_IsKeptAcrossGroups_AndReplacedAfterAFailedGroup()
    {
        var failNext = false;
        var store = NewStore(_ =>
        {
            if (failNext)
            {
                failNext = false;
                throw new IOException("Injected commit failure.");
            }

            return ValueTask.CompletedTask;
        });
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        for (var i = 0; i < 5; i++)
        {
            await store.UpsertAsync(Table, Entity("p", $"r{i}", i), Ct);
        }

        Assert.Equal(1, store.WritersOpened);

        failNext = true;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InsertAsync(Table, Entity("p", "lost", 9), Ct));
        var etag = await store.InsertAsync(Table, Entity("p", "after", 10), Ct);
        await store.UpsertAsync(Table, Entity("p", "after-2", 11), Ct);

        Assert.Equal(2, store.WritersOpened);
        Assert.Null(await store.GetAsync(Table, "p", "lost", Ct));
        Assert.Equal(etag, (await store.GetAsync(Table, "p", "after", Ct))!.ETag);
        Assert.Equal(7, (await store.QueryPartitionAsync(Table, "p", null, null, 100, null, Ct)).Entities.Count);
    }

    [Fact]
    public async Task KeptStatements_StayRight_WhenAnotherStoreChangesTheSchema()
    {
        var first = NewStore();
        await first.CreateTableIfNotExistsAsync(Table, Ct);
        var etag = await first.InsertAsync(Table, Entity("p", "r", 1), Ct);
        Assert.NotNull(await first.GetAsync(Table, "p", "r", Ct));
        Assert.Null(await first.GetAsync("Later", "p", "r", Ct));

        // Another store on the file (as another process would) creates tables: the schema cookie changes under the
        // first store's prepared statements, and a table it found missing now exists.
        var second = NewStore();
        await second.CreateTableIfNotExistsAsync("Later", Ct);
        await second.CreateTableIfNotExistsAsync("Unrelated", Ct);
        await second.InsertAsync("Later", Entity("p", "r", 2), Ct);

        var replaced = await first.ReplaceAsync(Table, Entity("p", "r", 3), etag, Ct);
        Assert.Equal(3L, (await first.GetAsync(Table, "p", "r", Ct))!.Properties["V"]);
        Assert.Equal(replaced, (await first.QueryPartitionAsync(Table, "p", null, null, 10, null, Ct)).Entities.Single().ETag);
        Assert.Equal(2L, (await first.GetAsync("Later", "p", "r", Ct))!.Properties["V"]);
        await first.UpsertAsync("Later", Entity("p", "r2", 4), Ct);
        Assert.Equal(2, (await second.QueryPartitionAsync("Later", "p", null, null, 10, null, Ct)).Entities.Count);
    }

    [Fact]
    public async Task Dispose_CommitsWhatWasQueued_ThenClosesEveryConnection()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = false;
        var store = NewStore(async _ =>
        {
            if (hold)
            {
                hold = false;
                held.TrySetResult();
                await release.Task;
            }
        });
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        // Several reads at once, so that more than one reader session is open and kept.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.GetAsync(Table, "p", "r", Ct))));

        hold = true;
        var first = store.InsertAsync(Table, Entity("p", "first", 1), Ct);
        await held.Task;
        var queued = store.InsertAsync(Table, Entity("p", "queued", 2), Ct);
        var disposed = Task.Run(store.Dispose);
        await Task.Delay(200, Ct);
        Assert.False(disposed.IsCompleted, "Dispose returned while a group was still being committed.");
        Assert.True(File.Exists(DatabasePath + "-wal"));

        release.TrySetResult();
        await disposed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await first;
        await queued;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.UpsertAsync(Table, Entity("p", "late", 3), Ct));

        // The last connection to close removes the WAL; leaving WAL mode needs the file to itself.
        Assert.False(File.Exists(DatabasePath + "-wal"), "A connection of the disposed store is still open.");
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = DELETE";
        Assert.Equal("delete", await command.ExecuteScalarAsync(Ct));
        command.CommandText = $"SELECT group_concat(RowKey) FROM (SELECT RowKey FROM \"{Table}\" ORDER BY RowKey)";
        Assert.Equal("first,queued", await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task AFailedRead_ComesBackInItsTask_AndLaterReadsStillWork()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await store.InsertAsync(Table, Entity("p", "good", 1), Ct);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO \"{Table}\" VALUES ('p', 'bad', 'W/\"x\"', 'not json')";
            await command.ExecuteNonQueryAsync(Ct);
        }

        for (var i = 0; i < 3; i++)
        {
            var failed = store.GetAsync(Table, "p", "bad", Ct);
            await Assert.ThrowsAsync<StorageUnavailableException>(() => failed);
            Assert.Equal(1L, (await store.GetAsync(Table, "p", "good", Ct))!.Properties["V"]);
        }

        store.Dispose();
        var afterDispose = store.GetAsync(Table, "p", "good", Ct);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => afterDispose);
    }

    private SqliteTableStore NewStore(Func<CancellationToken, ValueTask>? beforeCommit = null)
    {
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = DatabasePath }, beforeCommit);
        _stores.Add(store);
        return store;
    }

    private static TableEntity Entity(string partitionKey, string rowKey, long value) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["V"] = value });
}
