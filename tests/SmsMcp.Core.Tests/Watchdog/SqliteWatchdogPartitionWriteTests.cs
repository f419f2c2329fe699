using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary><see cref="WatchdogPartitionWriteTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteWatchdogPartitionWriteTests : WatchdogPartitionWriteTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-watchdog-").FullName;
    private SqliteTableStore? _store;

    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(_store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") }));

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
