namespace SmsMcp.Http.Mcp;

/// <summary>The MCP revisions this server speaks over HTTP, and the header that names them.</summary>
public static class McpProtocol
{
    public const string VersionHeader = "MCP-Protocol-Version";
    public const string June2025 = "2025-06-18";
    public const string November2025 = "2025-11-25";

    /// <summary>The newest revision, answered when a client asks for one we do not speak.</summary>
    public const string Latest = November2025;

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { June2025, November2025 };
}
