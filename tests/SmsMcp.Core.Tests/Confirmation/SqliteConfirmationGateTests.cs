using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Confirmation;

/// <summary>Confirmation states on SQLite: each "instance" opens the one database file with its own store.</summary>
public sealed class SqliteConfirmationGateTests : ConfirmationGateTests
{
    protected override ITableStore CreateStore(string directory) =>
        new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "shared.db"), BusyTimeout = TimeSpan.FromSeconds(30) });
}
