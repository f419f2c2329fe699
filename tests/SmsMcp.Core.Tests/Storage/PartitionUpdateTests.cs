using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Storage;

/// <summary>
/// <see cref="OptimisticUpdate.ApplyToPartitionAsync"/>: several rows of one partition changed as one entity group
/// transaction — one write request, not one per row; a row changed by someone else between the read and the
/// transaction leaves every row of it unwritten, and the step is decided again on what that writer stored; a
/// transaction that landed with its answer lost counts once; a partition that stays contended fails closed with nothing
/// written. Run on every backend.
/// </summary>
public abstract class PartitionUpdateTests : IAsyncLifetime
{
    private const string Table = "Counters";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Rows = ["a", "b", "c", "d"];

    // Unique per test: the Azurite backend is shared by the whole collection.
    private readonly string _partition = "p" + Guid.NewGuid().ToString("N");

    /// <summary>The backend under test.</summary>
    protected ITableStore Store { get; private set; } = null!;

    protected abstract Task<ITableStore> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.CreateTableIfNotExistsAsync(Table, None);
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    private static Dictionary<string, object> Increment(TableEntity? current) => new() { ["Count"] = (current?.Get<long>("Count") ?? 0) + 1 };

    private async Task<long> CountAsync(string row) => (await Store.GetAsync(Table, _partition, row, None))?.Get<long>("Count") ?? 0;

    private async Task<long[]> CountsAsync() => await Task.WhenAll(Rows.Select(CountAsync));

    private Task SetAsync(string row, long count) =>
        Store.UpsertAsync(Table, new TableEntity(_partition, row, new Dictionary<string, object> { ["Count"] = count }), None);

    [Fact]
    public async Task RowsPresentAndAbsent_OneTransaction_NoWritePerRow()
    {
        await SetAsync("a", 5);
        await SetAsync("c", 7);
        var counting = new CountingTableStore(Store);

        var written = await OptimisticUpdate.ApplyToPartitionAsync(counting, Table, _partition, Rows, known: null, (_, current) => Increment(current), 8, None);

        Assert.Equal(Rows, written.Select(e => e.RowKey));
        Assert.All(written, e => Assert.NotNull(e.ETag));
        Assert.Equal(new long[] { 6, 1, 8, 1 }, await CountsAsync());
        var requests = counting.Snapshot();
        Assert.Equal(1, requests["transaction"]);
        Assert.Equal(Rows.Length, requests["get"]);
        Assert.False(requests.ContainsKey("insert") || requests.ContainsKey("replace") || requests.ContainsKey("upsert"));
    }

    [Fact]
    public async Task KnownRows_AreNotReadAgain_AndADeclinedRowIsNotWritten()
    {
        await SetAsync("a", 5);
        await SetAsync("b", 1);
        var known = (await Store.QueryPartitionAsync(Table, _partition, null, null, 100, null, None)).Entities.ToDictionary(e => e.RowKey);
        var counting = new CountingTableStore(Store);

        var written = await OptimisticUpdate.ApplyToPartitionAsync(counting, Table, _partition, Rows, known,
            (row, current) => row == "b" ? null : Increment(current), 8, None);

        Assert.Equal(new[] { "a", "c", "d" }, written.Select(e => e.RowKey));
        Assert.Equal(new long[] { 6, 1, 1, 1 }, await CountsAsync());
        Assert.Equal(new Dictionary<string, int> { ["transaction"] = 1, ["transaction " + Table] = 1 }, counting.Snapshot());
    }

    [Fact]
    public async Task AnotherWriterChangesOneRow_NothingOfTheTransactionIsWritten_ThenDecidedAgainOnItsValue()
    {
        foreach (var row in Rows)
        {
            await SetAsync(row, 1);
        }

        long[]? afterRejected = null;
        StorageException? rejection = null;
        var hooked = new TransactionHookTableStore(Store)
        {
            // Another instance writes row c after our read, before our transaction.
            BeforeFirst = () => SetAsync("c", 10),
            AfterRejected = async e => (rejection, afterRejected) = (e, await CountsAsync()),
        };
        var counting = new CountingTableStore(hooked);

        await OptimisticUpdate.ApplyToPartitionAsync(counting, Table, _partition, Rows, known: null, (_, current) => Increment(current), 8, None);

        // The refused transaction wrote none of its rows, not even those nobody else touched.
        Assert.IsType<PreconditionFailedException>(rejection);
        Assert.Equal(2, rejection!.FailedWriteIndex);
        Assert.Equal(new long[] { 1, 1, 10, 1 }, afterRejected);
        Assert.Equal(new long[] { 2, 2, 11, 2 }, await CountsAsync());
        var requests = counting.Snapshot();
        Assert.Equal(2, requests["transaction"]);
        Assert.Equal(Rows.Length * 2, requests["get"]);
    }

    [Fact]
    public async Task TransactionLandedButAnswerLost_AppliedOnce()
    {
        await SetAsync("b", 3);
        var calls = 0;
        var lost = new CountingTableStore(new TransactionHookTableStore(Store) { LoseFirstAnswer = true });

        var written = await OptimisticUpdate.ApplyToPartitionAsync(lost, Table, _partition, Rows, known: null, (_, current) =>
        {
            calls++;
            return Increment(current);
        }, 8, None);

        Assert.Equal(Rows, written.Select(e => e.RowKey));
        Assert.Equal(Rows.Length, calls);
        Assert.Equal(new long[] { 1, 4, 1, 1 }, await CountsAsync());
        Assert.Equal(1, lost.Snapshot()["transaction"]);
    }

    [Fact]
    public async Task StillContendedAfterTheLastAttempt_FailsClosed_WithNothingWritten()
    {
        var hooked = new TransactionHookTableStore(Store) { BeforeFirst = () => SetAsync("d", 10) };

        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            OptimisticUpdate.ApplyToPartitionAsync(hooked, Table, _partition, Rows, known: null, (_, current) => Increment(current), maxAttempts: 1, None));

        Assert.Equal(new long[] { 0, 0, 0, 10 }, await CountsAsync());
    }

    [Fact]
    public async Task MoreRowsThanOneTransactionHolds_OneTransactionPer100()
    {
        var rows = Enumerable.Range(0, 150).Select(i => "r" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var counting = new CountingTableStore(Store);

        var written = await OptimisticUpdate.ApplyToPartitionAsync(counting, Table, _partition, rows, new Dictionary<string, TableEntity>(), (_, current) => Increment(current), 8, None);

        Assert.Equal(rows, written.Select(e => e.RowKey));
        Assert.Equal(150, (await Store.QueryPartitionAsync(Table, _partition, null, null, 1000, null, None)).Entities.Count(e => e.Get<long>("Count") == 1));
        Assert.Equal(2, counting.Snapshot()["transaction"]);
    }
}
