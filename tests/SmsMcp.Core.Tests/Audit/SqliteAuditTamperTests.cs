using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>Audit tampering and verification on the embedded SQLite store.</summary>
public sealed class SqliteAuditTamperTests : AuditTamperTests
{
    private readonly TempDirectory _directory = new();
    private SqliteTableStore? _store;

    protected override Task<ITableStore> CreateStoreAsync()
    {
        _store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File("audit.db") });
        return Task.FromResult<ITableStore>(_store);
    }

    protected override Task DisposeStoreAsync()
    {
        _store?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }
}
