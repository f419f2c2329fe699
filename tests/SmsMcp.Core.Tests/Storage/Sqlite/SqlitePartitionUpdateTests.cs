using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary><see cref="PartitionUpdateTests"/> on the embedded SQLite store (one SQLite transaction per entity group transaction).</summary>
public sealed class SqlitePartitionUpdateTests : PartitionUpdateTests
{
    private readonly TempDirectory _directory = new();
    private SqliteTableStore? _store;

    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(_store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File("store.db") }));

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
