using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using SmsMcp.Core.Sending;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Auth.OAuth;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// Runs inside every <c>/mcp</c> endpoint the SDK maps, before its handler, so both hosts (and any dispatcher that
/// invokes the endpoint's own delegate) get the same guards: Host and Origin (403), authentication (401 with a Bearer
/// challenge pointing to the protected resource metadata) before the SDK reads a byte, JSON media type (415), the
/// body-size cap (413, whether or not the client declared a length), the JSON-RPC envelope, the protocol revision header,
/// and the caller's grant for the tool a <c>tools/call</c> names (403 <c>insufficient_scope</c>). The SDK then reads the
/// buffered body.
/// </summary>
public sealed class McpEndpointGuard(
    McpRequestGuard guard,
    CallerAuthenticator authenticator,
    ProtectedResourceMetadata metadata,
    ToolCatalog catalog,
    RefusalBeforeWalk refusals,
    IOptions<McpHttpOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!await guard.AdmitAsync(http))
        {
            return null;
        }

        var authentication = await authenticator.AuthenticateAsync(http);
        if (authentication.Principal is null)
        {
            http.Response.Headers.WWWAuthenticate = metadata.Challenge(authentication.TokenRejected);
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

        if (envelope.Method == RequestMethods.ToolsCall && envelope.ToolName is { } name && catalog.Find(name) is { } tool
            && !ToolGrants.Allows(ToolGrants.Of(authentication.Principal), tool))
        {
            await RefuseOutsideGrantAsync(http, authentication.Principal, tool, envelope.Id);
            return null;
        }

        http.Request.Body = new MemoryStream(body, writable: false);
        http.Request.ContentLength = body.Length;
        return await next(context);
    }

    /// <summary>
    /// A call outside the caller's grant: HTTP 403 with the step-up challenge (the scope that would grant it), before the
    /// SDK or the tool runs. A refused <c>send_sms</c> is an attempted send, so it leaves its one audit record.
    /// </summary>
    private async Task RefuseOutsideGrantAsync(HttpContext http, System.Security.Claims.ClaimsPrincipal principal, Tool tool, System.Text.Json.JsonElement? id)
    {
        var needed = ToolGrants.Required(tool);
        if (needed == ToolAccess.Send && CallerClaims.FromPrincipal(principal) is { } caller)
        {
            await refusals.RecordAsync(caller, tool.Name, ToolGrants.InsufficientScopeCode);
        }

        http.Response.Headers.WWWAuthenticate = metadata.InsufficientScope(needed);
        await JsonRpcErrorResponse.WriteAsync(http, StatusCodes.Status403Forbidden, McpErrorCode.InvalidRequest,
            "Forbidden: this caller is not granted this tool (insufficient_scope). Call tools/list for the tools it may use.", id);
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
