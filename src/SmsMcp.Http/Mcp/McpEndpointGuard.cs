using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// Runs inside every <c>/mcp</c> endpoint the SDK maps, before its handler, so both hosts (and any dispatcher that
/// invokes the endpoint's own delegate) get the same guards: Host and Origin (403), authentication (401 with a Bearer
/// challenge) before the SDK reads a byte, JSON media type (415), the body-size cap (413, whether or not the client
/// declared a length), the JSON-RPC envelope and the protocol revision header. The SDK then reads the buffered body.
/// </summary>
public sealed class McpEndpointGuard(McpRequestGuard guard, CallerAuthenticator authenticator, IOptions<McpHttpOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!await guard.AdmitAsync(http))
        {
            return null;
        }

        var authentication = authenticator.Authenticate(http.Request);
        if (authentication.Principal is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"smsmcp\"";
            await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status401Unauthorized, McpErrorCode.InvalidRequest, authentication.Failure!);
            return null;
        }

        // The SDK reads the caller from HttpContext.User and hands it to the tools (RequestContext.User).
        http.User = authentication.Principal;
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return await next(context);
        }

        if (!McpRequestGuard.IsJsonContent(http.Request))
        {
            await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, McpErrorCode.InvalidRequest,
                "The request body must be JSON: send Content-Type: application/json.");
            return null;
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (await RequestBody.ReadAsync(http.Request, limit, http.RequestAborted) is not { } body)
        {
            await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, McpErrorCode.InvalidRequest,
                $"The request body is larger than {limit} bytes.");
            return null;
        }

        var envelope = JsonRpcEnvelope.Read(body);
        if (envelope.Fault is { } fault)
        {
            await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status400BadRequest, fault.Code, fault.Message, envelope.Id);
            return null;
        }

        // Checked here rather than left to the SDK: its refusal quotes any header back, and it accepts revisions this
        // server does not speak. Same code and data shape as the SDK's; after the envelope, so the id is known.
        if (http.Request.Headers.TryGetValue(McpRevisions.Header, out var version) && !McpRevisions.IsSupported(version.ToString()))
        {
            await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status400BadRequest, McpErrorCode.UnsupportedProtocolVersion,
                $"Unsupported {McpRevisions.Header}. Supported: {string.Join(", ", McpRevisions.Supported)}.", envelope.Id,
                UnsupportedVersionData(version.ToString()));
            return null;
        }

        http.Request.Body = new MemoryStream(body, writable: false);
        http.Request.ContentLength = body.Length;
        return await next(context);
    }

    /// <summary>
    /// <c>supported</c> lists the revisions a client may retry <c>server/discover</c> with (as the SDK does on a stateless
    /// server); <c>requested</c> is echoed only when it is shaped like a version, never arbitrary caller text.
    /// </summary>
    private static JsonObject UnsupportedVersionData(string requested)
    {
        var data = new JsonObject { ["supported"] = new JsonArray([.. McpRevisions.PerRequestMetadata.Select(v => (JsonNode?)JsonValue.Create(v))]) };
        if (McpRevisions.IsVersionShaped(requested))
        {
            data["requested"] = requested;
        }

        return data;
    }
}
