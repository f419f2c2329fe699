using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Controls;

/// <summary><see cref="ControlsLayoutMigrationTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteControlsLayoutMigrationTests : ControlsLayoutMigrationTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteTableStore> _stores = [];

    protected override ITableStore NewStore()
    {
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File($"store{_stores.Count}.db") });
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }
}
