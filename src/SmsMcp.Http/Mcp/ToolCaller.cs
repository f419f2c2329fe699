using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Callers;
using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Mcp;

/// <summary>Who a tool call runs as: the authenticated HTTP caller, or the local caller of stdio mode.</summary>
public static class ToolCaller
{
    public static CallerIdentity Of(RequestContext<CallToolRequestParams> context) =>
        CallerClaims.FromPrincipal(context.User)
        ?? (context.Services?.GetService(typeof(StdioCaller)) as StdioCaller)?.Caller
        ?? throw new McpProtocolException("The request has no authenticated caller.", McpErrorCode.InvalidRequest);
}
