using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Idempotency;

/// <summary>Idempotency under concurrency on SQLite: each "instance" opens the one database file with its own store.</summary>
public sealed class SqliteIdempotencyConcurrencyTests : IdempotencyConcurrencyTests
{
    protected override ITableStore CreateStore(string directory) =>
        new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "shared.db") });
}
