namespace SmsMcp.Http.Mcp;

/// <summary>The transport <see cref="McpProtocolWarmUp"/> rehearses: the one the process is about to serve.</summary>
public enum McpWarmUpTransport
{
    /// <summary>The stateless streamable HTTP endpoint (<c>/mcp</c>).</summary>
    StreamableHttp,

    /// <summary>Newline-delimited JSON-RPC over stdin/stdout (stdio mode).</summary>
    Stdio,
}
