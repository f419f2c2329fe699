using System.Security.Cryptography;
using SmsMcp.Core.Audit;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>One real server process in local mode (SQLite) per test class, with an audit seal key the tests know, so they can read its trail.</summary>
public sealed class AuditedServerFixture : IAsyncLifetime
{
    public byte[] SealKey { get; } = RandomNumberGenerator.GetBytes(32);

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The SQLite database and its journal files: everything the server keeps of a request.</summary>
    public IEnumerable<string> DatabaseFiles => Directory.EnumerateFiles(Server.DataDirectory, "smsmcp.db*");

    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Audit__SealKey"] = Convert.ToBase64String(SealKey) });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task<IReadOnlyList<AuditRecord>> AuditAsync()
    {
        using var store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(Server.DataDirectory, "smsmcp.db") });
        return await new AuditLog(store, new AuditSealer(SealKey), TimeProvider.System).ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
    }
}
