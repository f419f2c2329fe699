using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Server.Tests.Hosting;

public sealed class SqliteScheduledJobClaimTests : ScheduledJobClaimTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-claims-").FullName;

    protected override ITableStore Connect() => new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
