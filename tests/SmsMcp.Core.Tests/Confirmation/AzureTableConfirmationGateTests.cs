using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Confirmation;

/// <summary>Confirmation states on Table Storage (a real Azurite), each "instance" with its own HTTP client.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableConfirmationGateTests(AzuriteFixture fixture) : ConfirmationGateTests
{
    protected override ITableStore CreateStore(string directory) => new AzureTableStore(new AzureTableStoreOptions
    {
        ConnectionString = fixture.Azurite.ConnectionString,
    });
}
