using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Audit;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>Audit tampering and verification on Table Storage (a real Azurite): seals survive the OData round trip.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableAuditTamperTests(AzuriteFixture fixture) : AuditTamperTests
{
    protected override Task<ITableStore> CreateStoreAsync() =>
        Task.FromResult<ITableStore>(new AzureTableStore(new AzureTableStoreOptions
        {
            ConnectionString = fixture.Azurite.ConnectionString,
        }));

    protected override Task DisposeStoreAsync() => Task.CompletedTask;
}
