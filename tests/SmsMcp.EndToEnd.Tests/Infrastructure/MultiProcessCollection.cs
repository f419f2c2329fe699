namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Tests that run several server processes against their own Azurite. xunit runs this collection alone, after the
/// parallel ones: on two cores, four servers plus an emulator starting beside other test classes would only make every
/// readiness wait longer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiProcessCollection
{
    public const string Name = "Multi-process (Azurite)";
}
