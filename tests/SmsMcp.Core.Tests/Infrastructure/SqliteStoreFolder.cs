using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>A temporary folder handing out SQLite stores, each in a database file of its own; all closed and deleted on dispose.</summary>
public sealed class SqliteStoreFolder : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-stores-").FullName;
    private readonly List<SqliteTableStore> _stores = [];

    /// <summary>A store no other caller uses.</summary>
    public ITableStore NewStore()
    {
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db") });
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
