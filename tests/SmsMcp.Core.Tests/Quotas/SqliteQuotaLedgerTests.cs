using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>The quota ledger on the embedded store; "four clients" are four connections to one database file.</summary>
public sealed class SqliteQuotaLedgerTests : QuotaLedgerContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-quotas-").FullName;
    private readonly List<SqliteTableStore> _stores = [];

    protected override ITableStore CreateClient()
    {
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "quotas.db") });
        _stores.Add(store);
        return store;
    }

    public override Task DisposeAsync()
    {
        _stores.ForEach(s => s.Dispose());
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
