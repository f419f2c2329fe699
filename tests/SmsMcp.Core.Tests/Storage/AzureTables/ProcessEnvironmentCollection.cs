namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// Tests that set process environment variables (the managed-identity protocol is configured only that way) run in
/// this collection, which xunit runs alone, after the parallel ones, so no other test sees the variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
