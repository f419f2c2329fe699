namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Tests that drive real sockets with short timeouts run alone, after the parallel tests: their timeouts then
/// measure our client, not a busy machine, and they add no load to the storage concurrency tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackNetworkCollection
{
    public const string Name = "Loopback network";
}
