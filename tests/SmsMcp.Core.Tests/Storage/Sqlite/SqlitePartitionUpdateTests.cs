using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary><see cref="PartitionUpdateTests"/> on the embedded SQLite store (one SQLite transaction per entity group transaction).</summary>
public sealed class SqlitePartitionUpdateTests : PartitionUpdateTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-partition-").FullName;
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
