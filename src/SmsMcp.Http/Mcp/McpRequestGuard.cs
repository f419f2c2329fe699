using Microsoft.Extensions.Options;
using ModelContextProtocol;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The transport-level checks of the MCP streamable HTTP specification: Host (DNS rebinding), Origin and the protocol
/// version header before authentication (<see cref="AdmitAsync"/>, which returns false after writing the refusal), and
/// the media-type helpers the handler applies after it.
/// </summary>
public sealed class McpRequestGuard(IOptions<McpHttpOptions> options)
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public async Task<bool> AdmitAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsAllowedHost(request.Host))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, McpErrorCode.InvalidRequest,
                "Forbidden: the Host header is not an allowed host for this server.");
            return false;
        }

        if (request.Headers.Origin is { Count: > 0 } origin && !IsAllowedOrigin(origin.ToString()))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, McpErrorCode.InvalidRequest,
                "Forbidden: this Origin is not allowed to call the server.");
            return false;
        }

        if (request.Headers.TryGetValue(McpProtocol.VersionHeader, out var version) && !McpProtocol.Supported.Contains(version.ToString()))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, McpErrorCode.InvalidRequest,
                $"Unsupported {McpProtocol.VersionHeader}. Supported: {string.Join(", ", McpProtocol.Supported)}.");
            return false;
        }

        return true;
    }

    /// <summary>True when the Accept header (if any) allows the SSE response this endpoint writes.</summary>
    public static bool AcceptsEventStream(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0
            || accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("*/*", StringComparison.Ordinal);
    }

    public static bool IsJsonContent(HttpRequest request) =>
        request.ContentType is { } type
        && type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The DNS-rebinding check, shared with the admin endpoint so both surfaces accept the same hosts.</summary>
    public bool IsAllowedHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var value = options.Value;
        if (value.AllowLoopbackHosts && LoopbackHosts.Contains(host.Host, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return value.AllowedHosts.Any(allowed =>
            allowed.Equals(host.Value, StringComparison.OrdinalIgnoreCase)
            || allowed.Equals(host.Host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Origin check, shared with the admin endpoint.</summary>
    public bool IsAllowedOrigin(string origin)
    {
        var value = options.Value;
        if (value.AllowedOrigins.Any(o => o.TrimEnd('/').Equals(origin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return value.AllowLoopbackOrigins
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.AbsolutePath == "/"
            && uri.IsLoopback;
    }
}
