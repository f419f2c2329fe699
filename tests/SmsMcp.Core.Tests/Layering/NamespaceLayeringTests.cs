using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Tests.Layering;

/// <summary>
/// SmsMcp.Core's feature namespaces read as floors (Vocabulary, Outcomes, Phone at the bottom; features in the middle;
/// Sending on top): no namespace may reach back into one that uses it. The graph is the union of what the compiled
/// assembly references and what the usings name, so neither a fully qualified name nor a constant slips through.
/// </summary>
public sealed class NamespaceLayeringTests
{
    private static readonly string CoreAssembly = typeof(SendPipeline).Assembly.Location;
    private static readonly string CoreSource = Path.Combine(RepositoryPaths.Root, "src", "SmsMcp.Core");

    [Fact]
    public void CoreNamespaces_FormNoCycle()
    {
        var graph = MetadataDependencies.Read(CoreAssembly).Union(SourceUsings.Read(CoreSource));

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0,
            "SmsMcp.Core's namespaces form a cycle; move the shared type down (Vocabulary, Outcomes), into the namespace that owns its concept, " +
            "or invert the edge with an interface the lower namespace owns:\n" + string.Join("\n\n", cycles.Select(graph.Describe)));
    }

    [Fact]
    public void Readers_SeeTheEdgesTheCodeHas()
    {
        var compiled = MetadataDependencies.Read(CoreAssembly);
        var source = SourceUsings.Read(CoreSource);

        // A constructor parameter, a call inside an async state machine, an interface implemented.
        Assert.True(compiled.HasEdge("Sending", "Approvals"));
        Assert.True(compiled.HasEdge("Watchdog", "Controls"));
        Assert.True(compiled.HasEdge("Sending", "Telemetry"));
        Assert.True(source.HasEdge("Sending", "Approvals"));
        // Each reader sees what the other cannot. SmsMcpMetrics compares with an enum constant (MessageStatus), which the
        // compiler inlines; and it reads a recipient's number through a property chain, which names ResolvedRecipient's
        // namespace in IL but needs no using.
        Assert.True(source.HasEdge("Telemetry", "Messages"));
        Assert.True(compiled.HasEdge("Telemetry", "Recipients"));
        Assert.False(compiled.HasEdge("Vocabulary", "Sending"));
    }

    [Fact]
    public void Cycles_NamedWithTheirEdges()
    {
        var graph = new NamespaceGraph();
        graph.Add("Approvals", "Sending", "ApprovalService uses SendPipeline");
        graph.Add("Sending", "Approvals", "SendPipeline uses ApprovalStore");
        graph.Add("Lookup", "Approvals", "LookupGuard uses ContactBook");
        graph.Add("Sending", "Vocabulary", "SendPipeline uses Refusal");

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["Approvals", "Sending"], cycle);
        Assert.Equal(
            "  Approvals → Sending: ApprovalService uses SendPipeline\n  Sending → Approvals: SendPipeline uses ApprovalStore",
            graph.Describe(cycle));
    }

    [Fact]
    public void Core_ReferencesNoAdapterAssembly()
    {
        var references = typeof(SendPipeline).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("PhoneNumbers", references);
        Assert.DoesNotContain(references, r =>
            r.StartsWith("Azure.", StringComparison.Ordinal) || r.StartsWith("Twilio", StringComparison.Ordinal) ||
            r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r.StartsWith("SQLitePCL", StringComparison.Ordinal));
    }
}
