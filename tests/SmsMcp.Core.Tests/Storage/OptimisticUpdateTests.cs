using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// <see cref="OptimisticUpdate"/> on SQLite: a write whose answer was lost (the transport's retry then sees 409/412
/// about our own write) is applied once, and a real conflict is decided again on what the other writer stored.
/// </summary>
public sealed class OptimisticUpdateTests : IDisposable
{
    private const string Table = "Counters";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-optimistic-").FullName;
    private readonly SqliteTableStore _store;

    public OptimisticUpdateTests()
    {
        _store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        _store.CreateTableIfNotExistsAsync(Table, None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static Dictionary<string, object> Increment(TableEntity? current) => new() { ["Count"] = (current?.Get<long>("Count") ?? 0) + 1 };

    private async Task<long> CountAsync() => (await _store.GetAsync(Table, "p", "r", None))?.Get<long>("Count") ?? 0;

    [Theory]
    [InlineData("insert")]
    [InlineData("replace")]
    public async Task WriteLandedButAnswerLost_AppliedOnce(string lost)
    {
        if (lost == "replace")
        {
            Assert.True(await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", Increment, 8, None));
        }

        var before = await CountAsync();
        var calls = 0;

        var written = await OptimisticUpdate.ApplyAsync(new LostResponseTableStore(_store, lost), Table, "p", "r", current =>
        {
            calls++;
            return Increment(current);
        }, 8, None);

        Assert.True(written);
        Assert.Equal(1, calls);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task AnotherWriterFirst_DecidedAgainOnWhatItStored()
    {
        Assert.True(await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", Increment, 8, None));
        var calls = 0;

        await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", current =>
        {
            if (++calls == 1)
            {
                // Another instance writes between our read and our write.
                _store.UpsertAsync(Table, new TableEntity("p", "r", new Dictionary<string, object> { ["Count"] = 10L }), None).GetAwaiter().GetResult();
            }

            return Increment(current);
        }, 8, None);

        Assert.Equal(2, calls);
        Assert.Equal(11, await CountAsync());
    }

    [Fact]
    public async Task AlwaysBeaten_FailsAfterMaxAttempts_AsStorageUnavailable()
    {
        Assert.True(await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", Increment, 8, None));
        var calls = 0;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", current =>
        {
            calls++;
            _store.UpsertAsync(Table, new TableEntity("p", "r", new Dictionary<string, object> { ["Count"] = 100L + calls }), None).GetAwaiter().GetResult();
            return Increment(current);
        }, 3, None));

        Assert.Equal(3, calls);
        Assert.Equal(103, await CountAsync());
    }

    [Fact]
    public async Task ChangeDeclines_NothingWritten()
    {
        Assert.False(await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", _ => null, 8, None));
        Assert.Null(await _store.GetAsync(Table, "p", "r", None));
    }

    [Fact]
    public async Task ManyWrites_RememberOnlyTheLastOnes()
    {
        for (var i = 0; i < OptimisticUpdate.RememberedWrites + 10; i++)
        {
            await OptimisticUpdate.ApplyAsync(_store, Table, "p", "r", Increment, 8, None);
        }

        var ids = (await _store.GetAsync(Table, "p", "r", None))!.Get<string>(OptimisticUpdate.WriteIdsProperty)!.Split(' ');
        Assert.Equal(OptimisticUpdate.RememberedWrites, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(OptimisticUpdate.RememberedWrites + 10, await CountAsync());
    }
}
