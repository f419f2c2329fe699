using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>The quota ledger on Azurite; each client is its own <see cref="AzureTableStore"/> (own HTTP pipeline), tables private to the test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureQuotaLedgerTests(AzuriteFixture fixture) : QuotaLedgerContractTests
{
    private readonly string _suffix = TableSuffixStore.NewSuffix();

    protected override ITableStore CreateClient() =>
        new TableSuffixStore(new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString }), _suffix);
}
