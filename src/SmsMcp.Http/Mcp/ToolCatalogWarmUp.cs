namespace SmsMcp.Http.Mcp;

/// <summary>
/// Builds the <see cref="ToolCatalog"/> (reflection over the tool methods and their JSON schemas: the largest piece of
/// a cold start's registration work) on a background thread as the process starts, so it overlaps the runtime's and
/// the host builder's own start-up. The first host to register the MCP server takes that catalog (waiting for it if it
/// is not finished); any later registration builds its own, as before. A build that failed fails there again.
/// </summary>
public static class ToolCatalogWarmUp
{
    private static Task<ToolCatalog>? s_pending;

    /// <summary>Call first thing in a host's entry point; returns at once.</summary>
    public static void Start() => Interlocked.CompareExchange(ref s_pending, Task.Run(() => new ToolCatalog()), null);

    /// <summary>The catalog <see cref="Start"/> began, taken once; otherwise a new one.</summary>
    internal static ToolCatalog Take() =>
        Interlocked.Exchange(ref s_pending, null) is { } pending ? pending.GetAwaiter().GetResult() : new ToolCatalog();
}
