using SmsMcp.Core.Approvals;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Testing;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>
/// The contact book remembers, per instance, the pairs it has seen stored: a contact is never removed, so "known" can
/// never turn false, and a repeated send needs no contact-book request. Against a real SQLite store, requests counted.
/// </summary>
public sealed class ContactBookTests : IDisposable
{
    private readonly SqliteStoreFolder _stores = new();

    public void Dispose() => _stores.Dispose();

    private async Task<(CountingTableStore Counting, FaultyTableStore Faulty)> StoreAsync()
    {
        var faulty = new FaultyTableStore(_stores.NewStore());
        await faulty.CreateTableIfNotExistsAsync(ContactBook.Table, CancellationToken.None);
        return (new CountingTableStore(faulty), faulty);
    }

    [Fact]
    public async Task RecordedPair_IsKnownWithoutARead_AndNotWrittenAgain()
    {
        var (store, _) = await StoreAsync();
        var book = new ContactBook(store);

        await book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch.AddDays(1), CancellationToken.None);
        Assert.True(await book.HasContactedAsync("dev", "ref-1", CancellationToken.None));

        Assert.Equal(1, store.Snapshot().GetValueOrDefault("upsert Contacts"));
        Assert.Equal(0, store.Snapshot().GetValueOrDefault("get Contacts"));
        Assert.Equal(DateTimeOffset.UnixEpoch, (await store.GetAsync(ContactBook.Table, "dev", "ref-1", CancellationToken.None))!.Properties["RecordedAt"]);
    }

    [Fact]
    public async Task PairRecordedByAnotherInstance_IsReadOnce_ThenKnown()
    {
        var (store, _) = await StoreAsync();
        await new ContactBook(store).RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None);
        var book = new ContactBook(store);

        Assert.True(await book.HasContactedAsync("dev", "ref-1", CancellationToken.None));
        Assert.True(await book.HasContactedAsync("dev", "ref-1", CancellationToken.None));
        await book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.Equal(1, store.Snapshot().GetValueOrDefault("get Contacts"));
        Assert.Equal(1, store.Snapshot().GetValueOrDefault("upsert Contacts"));
    }

    [Fact]
    public async Task UnknownPair_IsAskedEveryTime_AndPairsAreKeptApart()
    {
        var (store, _) = await StoreAsync();
        var book = new ContactBook(store);
        await book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.False(await book.HasContactedAsync("dev", "ref-2", CancellationToken.None));
        Assert.False(await book.HasContactedAsync("other", "ref-1", CancellationToken.None));
        Assert.False(await book.HasContactedAsync("dev", "ref-2", CancellationToken.None));

        Assert.Equal(3, store.Snapshot().GetValueOrDefault("get Contacts"));
    }

    [Fact]
    public async Task FailedRecord_IsNotRemembered_SoTheNextSendRecordsIt()
    {
        var (store, faulty) = await StoreAsync();
        var book = new ContactBook(store);
        faulty.Fail("upsert", ContactBook.Table);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None));
        faulty.Heal();
        Assert.False(await book.HasContactedAsync("dev", "ref-1", CancellationToken.None));
        await book.RecordAsync("dev", "ref-1", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.True(await new ContactBook(store).HasContactedAsync("dev", "ref-1", CancellationToken.None));
    }

    [Fact]
    public async Task PastTheMemoryBound_PairsAreStillAnsweredRight_FromTheStore()
    {
        var (store, _) = await StoreAsync();
        var book = new ContactBook(store);
        for (var i = 0; i <= ContactBook.Remembered; i++)
        {
            await book.RecordAsync("dev", "ref-" + i, DateTimeOffset.UnixEpoch, CancellationToken.None);
        }

        Assert.Equal(ContactBook.Remembered + 1, store.Snapshot().GetValueOrDefault("upsert Contacts"));
        Assert.True(await book.HasContactedAsync("dev", "ref-0", CancellationToken.None));
        Assert.False(await book.HasContactedAsync("dev", "ref-none", CancellationToken.None));
    }
}
