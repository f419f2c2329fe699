using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Idempotency;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>Idempotency under concurrency on Table Storage (a real Azurite), each "instance" with its own HTTP client.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableIdempotencyConcurrencyTests(AzuriteFixture fixture) : IdempotencyConcurrencyTests
{
    protected override ITableStore CreateStore(string directory) => new AzureTableStore(new AzureTableStoreOptions
    {
        ConnectionString = fixture.Azurite.ConnectionString,
    });
}
