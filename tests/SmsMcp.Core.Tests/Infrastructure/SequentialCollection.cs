namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// Tests that open hundreds of SQLite pipelines run alone, after the parallel ones, so their I/O does not push the
/// storage concurrency tests past SQLite's busy timeout on a loaded machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential";
}
