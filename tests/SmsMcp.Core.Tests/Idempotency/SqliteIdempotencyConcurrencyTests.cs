using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Idempotency;

/// <summary>Idempotency under concurrency on SQLite: each "instance" opens the one database file with its own store.</summary>
public sealed class SqliteIdempotencyConcurrencyTests : IdempotencyConcurrencyTests
{
    // A generous busy timeout: the test checks exactness, and ten writers on one file on a loaded two-core machine must
    // not turn a wait for the lock into storage_unavailable.
    protected override ITableStore CreateStore(string directory) =>
        new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "shared.db"), BusyTimeout = TimeSpan.FromSeconds(30) });
}
