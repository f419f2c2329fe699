namespace SmsMcp.Http.Mcp;

/// <summary>The streamable HTTP endpoint's guards (configuration section <c>Mcp</c>).</summary>
public sealed class McpHttpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// Host header values (host names, optionally with port) accepted besides the loopback names. Any other
    /// Host is refused: DNS-rebinding protection. In Azure set the app's public host name. Default: none.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Accept <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> as Host. Default: true.</summary>
    public bool AllowLoopbackHosts { get; set; } = true;

    /// <summary>
    /// Browser origins (scheme://host[:port]) allowed to call the endpoint. A request with any other
    /// <c>Origin</c> is refused with 403; requests without <c>Origin</c> (non-browser clients) pass. Default: none.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Allow http(s) origins on loopback hosts (local tools such as the MCP Inspector). Default: true.</summary>
    public bool AllowLoopbackOrigins { get; set; } = true;

    /// <summary>Largest accepted request body in bytes; larger bodies get 413. Default 65536; range 1024–4194304.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
