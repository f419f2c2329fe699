using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary><see cref="WatchdogEventTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteWatchdogEventTests : WatchdogEventTests
{
    private readonly TempDirectory _directory = new();
    private SqliteTableStore? _store;

    protected override int PropertyCases => 60;

    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(_store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File("store.db") }));

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
