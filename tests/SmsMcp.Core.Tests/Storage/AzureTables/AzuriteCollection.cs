namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// Every test that talks to Azurite. xunit runs this collection alone, after the parallel ones, for two reasons: the
/// emulator's CPU use would otherwise starve timing-sensitive tests elsewhere (SQLite's lock contention tests), and the
/// managed-identity tests set process environment variables that no other test may see. The tests share one plain-HTTP
/// Azurite and isolate themselves by table name.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
