using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

public sealed class SqliteTableStoreContractTests : TableStoreContractTests
{
    private readonly TempDirectory _directory = new();
    private SqliteTableStore? _store;

    protected override Task<ITableStore> CreateStoreAsync()
    {
        _store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File("store.db") });
        return Task.FromResult<ITableStore>(_store);
    }

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
