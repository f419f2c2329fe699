using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>The period claim on Table Storage (a real Azurite), each "instance" with its own HTTP client.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureScheduledJobClaimTests(AzuriteFixture fixture) : ScheduledJobClaimTests
{
    protected override ITableStore Connect() => new AzureTableStore(new AzureTableStoreOptions
    {
        ServiceUri = fixture.Azurite.ServiceUri,
        SharedKey = fixture.Azurite.SharedKey,
    });
}
