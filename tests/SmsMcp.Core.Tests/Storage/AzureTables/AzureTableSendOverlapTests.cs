using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Sending;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary><see cref="SendOverlapTests"/> on Table Storage (a real Azurite), each case in tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableSendOverlapTests(AzuriteFixture fixture) : SendOverlapTests
{
    protected override Task<ITableStore> NewStoreAsync() => Task.FromResult(fixture.NewStore());
}
