using System.Buffers.Text;
using System.Text;
using Microsoft.Data.Sqlite;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>What the SQLite backend promises beyond the shared contract: sharing one file, failing closed, its own formats.</summary>
public sealed class SqliteTableStoreTests : IDisposable
{
    private const string Table = "Things";

    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly List<SqliteTableStore> _stores = [];

    private string DatabasePath => _directory.File("shared.db");

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }

    // ---- several stores on one file, as several processes would be -------------------------------------------------

    [Fact]
    public async Task TwoStoresOnOneFile_SeeEachOthersWrites()
    {
        var first = NewStore();
        var second = NewStore();
        await first.CreateTableIfNotExistsAsync(Table, Ct);

        var inserted = await first.InsertAsync(Table, Entity("p", "r", 1L), Ct);
        var seenBySecond = await second.GetAsync(Table, "p", "r", Ct);
        var replaced = await second.ReplaceAsync(Table, Entity("p", "r", 2L), seenBySecond!.ETag!, Ct);
        var seenByFirst = await first.GetAsync(Table, "p", "r", Ct);

        Assert.Equal(inserted, seenBySecond.ETag);
        Assert.Equal(replaced, seenByFirst!.ETag);
        Assert.Equal(2L, seenByFirst.Get<long>("Count"));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => first.ReplaceAsync(Table, Entity("p", "r", 3L), inserted, Ct));
    }

    [Fact]
    public async Task TableCreatedByAnotherStore_BecomesWritableAfterThisStoreSawItMissing()
    {
        var first = NewStore();
        var second = NewStore();
        Assert.Null(await second.GetAsync(Table, "p", "r", Ct));

        await first.CreateTableIfNotExistsAsync(Table, Ct);
        await second.InsertAsync(Table, Entity("p", "r", 1L), Ct);

        Assert.NotNull(await first.GetAsync(Table, "p", "r", Ct));
    }

    [Fact]
    public async Task TwoStoresOnOneFile_RacingReplaceIfMatch_LoseNoIncrement()
    {
        var stores = new[] { NewStore(), NewStore() };
        await stores[0].CreateTableIfNotExistsAsync(Table, Ct);
        await stores[0].InsertAsync(Table, Entity("p", "counter", 0L), Ct);

        var wins = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => IncrementAsync(stores[i % 2]))));

        Assert.Equal(20L, (await stores[1].GetAsync(Table, "p", "counter", Ct))!.Get<long>("Count"));
        Assert.Equal(20, wins.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task TwoStoresOnOneFile_RacingInserts_HaveExactlyOneWinner()
    {
        var stores = new[] { NewStore(), NewStore() };
        await stores[0].CreateTableIfNotExistsAsync(Table, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await stores[i % 2].InsertAsync(Table, Entity("p", "r", i), Ct);
                return true;
            }
            catch (EntityAlreadyExistsException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }

    [Fact]
    public async Task DatabaseFile_IsSwitchedToWalMode()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);

        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task WriteWhileAnotherConnectionHoldsTheWriteLock_FailsClosedAfterTheBusyTimeout()
    {
        var store = NewStore(busyTimeout: TimeSpan.FromSeconds(1));
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await using var locker = await HoldWriteLockAsync();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.InsertAsync(Table, Entity("p", "r", 1L), Ct));
        Assert.Equal(5, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);

        await using (var rollback = locker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(Ct);
        }

        await store.InsertAsync(Table, Entity("p", "r", 1L), Ct);
        Assert.NotNull(await store.GetAsync(Table, "p", "r", Ct));
    }

    /// <summary>
    /// A lock held briefly elsewhere costs about that long, not a second: SQLite's busy handler sleeps in whole seconds
    /// when its build lacks usleep, as the e_sqlite3 of SQLitePCLRaw 2.0.6 did (every busy wait took 1,000 ms, seen as
    /// one-second stalls of guarded sends under load). Old build: ≥ 1,000 ms here by construction; current: ~50 ms.
    /// </summary>
    [Fact]
    public async Task WriteWhileAnotherConnectionHoldsTheWriteLockBriefly_GoesThroughSoonAfterItIsReleased()
    {
        var store = NewStore(busyTimeout: TimeSpan.FromSeconds(5));
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await using var locker = await HoldWriteLockAsync();

        var release = Task.Run(async () =>
        {
            await Task.Delay(50, Ct);
            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(Ct);
        }, Ct);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await store.InsertAsync(Table, Entity("p", "r", 1L), Ct);
        waited.Stop();
        await release;

        Assert.NotNull(await store.GetAsync(Table, "p", "r", Ct));
        Assert.True(waited.ElapsedMilliseconds < 900, $"waited {waited.ElapsedMilliseconds} ms for a lock held 50 ms");
    }

    // ---- failing closed ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task CorruptDatabaseFile_ThrowsStorageUnavailableWithTheSqliteErrorInside()
    {
        await File.WriteAllTextAsync(DatabasePath, string.Concat(Enumerable.Repeat("this is not a database. ", 400)), Ct);
        var store = NewStore();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CreateTableIfNotExistsAsync(Table, Ct));

        Assert.IsType<SqliteException>(error.InnerException);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync(Table, "p", "r", Ct));
    }

    [Fact]
    public async Task PathBelowAPlainFile_ThrowsStorageUnavailableWithTheIOErrorInside()
    {
        var plainFile = _directory.File("plain.txt");
        await File.WriteAllTextAsync(plainFile, "not a directory", Ct);
        var store = NewStore(Path.Combine(plainFile, "data", "store.db"));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CreateTableIfNotExistsAsync(Table, Ct));

        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    [Fact]
    public async Task CorruptStoredProperties_ThrowStorageUnavailableWithoutEchoingThem()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await store.InsertAsync(Table, Entity("p", "r", 1L), Ct);
        await using (var connection = await OpenRawAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """UPDATE "Things" SET Properties = '{"Count":{"type":"Edm.Int64","value":"S3cretValue"}}'""";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var onGet = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync(Table, "p", "r", Ct));
        var onQuery = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.QueryPartitionAsync(Table, "p", null, null, 10, null, Ct));

        Assert.DoesNotContain("S3cretValue", onGet.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretValue", onQuery.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteToAMissingTable_SaysToCreateItFirst()
    {
        var store = NewStore();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.UpsertAsync(Table, Entity("p", "r", 1L), Ct));

        Assert.Contains("CreateTableIfNotExistsAsync", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task MissingDirectory_IsCreated()
    {
        var path = Path.Combine(_directory.Path, "nested", "deeper", "store.db");
        var store = NewStore(path);

        await store.CreateTableIfNotExistsAsync(Table, Ct);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task DisposedStore_RefusesFurtherOperations()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);

        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetAsync(Table, "p", "r", Ct));
    }

    // ---- options ----------------------------------------------------------------------------------------------------

    [Fact]
    public void DefaultOptions_AreTheDocumentedOnes()
    {
        var options = new SqliteStorageOptions();

        Assert.Equal(".smsmcp/smsmcp.db", options.Path);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyPath_IsRejectedAtConstruction(string path)
    {
        Assert.Throws<ArgumentException>(() => new SqliteTableStore(new SqliteStorageOptions { Path = path }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(600_001)]
    public void BusyTimeoutOutside1SecondTo10Minutes_IsRejectedAtConstruction(int milliseconds)
    {
        var options = new SqliteStorageOptions { Path = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteTableStore(options));
    }

    // ---- formats this backend documents -----------------------------------------------------------------------------

    [Theory]
    [InlineData(25, new[] { 10, 10, 5 })]
    [InlineData(20, new[] { 10, 10 })]
    [InlineData(0, new[] { 0 })]
    public async Task QueryPages_AreFullUntilTheLastAndNoTokenLeadsToAnEmptyPage(int rows, int[] expectedPageSizes)
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        for (var i = 0; i < rows; i++)
        {
            await store.InsertAsync(Table, Entity("p", $"r{i:D2}", i), Ct);
        }

        var sizes = new List<int>();
        string? token = null;
        do
        {
            var page = await store.QueryPartitionAsync(Table, "p", null, null, 10, token, Ct);
            sizes.Add(page.Entities.Count);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(expectedPageSizes, sizes);
    }

    [Fact]
    public async Task ContinuationTokenFromAnotherQuery_StaysInsideThePartitionAndRangeAsked()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        foreach (var partition in new[] { "p1", "p2" })
        {
            foreach (var key in new[] { "a", "b", "c", "d", "x", "y" })
            {
                await store.InsertAsync(Table, Entity(partition, key, 0), Ct);
            }
        }

        var tokenIntoP1AtB = (await store.QueryPartitionAsync(Table, "p1", null, null, 1, null, Ct)).ContinuationToken;
        var page = await store.QueryPartitionAsync(Table, "p2", "a", "d", 10, tokenIntoP1AtB, Ct);

        Assert.Equal(["b", "c"], page.Entities.Select(e => e.RowKey));
        Assert.All(page.Entities, e => Assert.Equal("p2", e.PartitionKey));
    }

    [Fact]
    public async Task ForgedContinuationTokenWithAnInvalidKey_IsRejected()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("r1:a/b"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.QueryPartitionAsync(Table, "p", null, null, 10, forged, Ct));
    }

    [Fact]
    public async Task RowKeysAboveU_FFFF_SortByCodePoint()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        const string PrivateUse = "\uE000";
        const string Emoji = "\U0001F600";
        await store.InsertAsync(Table, Entity("p", Emoji, 0), Ct);
        await store.InsertAsync(Table, Entity("p", PrivateUse, 0), Ct);

        var page = await store.QueryPartitionAsync(Table, "p", null, null, 10, null, Ct);

        // Ordinal UTF-16 order would put the emoji (a surrogate pair, 0xD83D...) first; UTF-8 byte order does not.
        Assert.Equal([PrivateUse, Emoji], page.Entities.Select(e => e.RowKey));
    }

    [Fact]
    public async Task ETags_AreWeakQuotedRandomTokens()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);

        var etag = await store.InsertAsync(Table, Entity("p", "r", 0), Ct);

        Assert.Matches("^W/\"[0-9a-f]{32}\"$", etag);
    }

    [Fact]
    public async Task StoredProperties_AreTypeAnnotatedJson()
    {
        var store = NewStore();
        await store.CreateTableIfNotExistsAsync(Table, Ct);
        await store.InsertAsync(Table, new TableEntity("p", "r", new Dictionary<string, object> { ["Big"] = long.MaxValue }), Ct);

        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT Properties FROM "Things" """;

        Assert.Equal("""{"Big":{"type":"Edm.Int64","value":"9223372036854775807"}}""", await command.ExecuteScalarAsync(Ct));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private SqliteTableStore NewStore(string? path = null, TimeSpan? busyTimeout = null)
    {
        var options = new SqliteStorageOptions { Path = path ?? DatabasePath };
        if (busyTimeout is { } timeout)
        {
            options.BusyTimeout = timeout;
        }

        var store = new SqliteTableStore(options);
        _stores.Add(store);
        return store;
    }

    /// <summary>Another connection on the file holding the write lock (as another process would) until it rolls back.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        var locker = await OpenRawAsync();
        await using var begin = locker.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync(Ct);
        return locker;
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static TableEntity Entity(string partitionKey, string rowKey, object count) =>
        new(partitionKey, rowKey, new Dictionary<string, object> { ["Count"] = count });

    private static async Task<string> IncrementAsync(SqliteTableStore store)
    {
        while (true)
        {
            var current = await store.GetAsync(Table, "p", "counter", Ct);
            try
            {
                await store.ReplaceAsync(Table, Entity("p", "counter", current!.Get<long>("Count") + 1), current.ETag!, Ct);
                return current.ETag!;
            }
            catch (PreconditionFailedException)
            {
                // The other store won this generation.
            }
        }
    }
}
