using System.Reflection;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Mcp.Confirmation;
using SmsMcp.Http.Mcp.Logging;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The MCP server both transports run (streamable HTTP and stdio): identity, instructions, the fixed tool list, the
/// argument check in front of every tool, and a capability set that advertises only tools. The SDK always registers
/// <c>logging/setLevel</c> and advertises <c>logging</c>; this server sends no log messages to clients (log lines could
/// carry data meant for the operator), so the method answers "method not found" and the capability is removed.
/// </summary>
public static class McpServerSetup
{
    public const string Instructions =
        "Sends SMS on behalf of the operator, within an allowlist, quotas and audit. Address recipients by the aliases "
        + "from list_recipients. Check a message with preview_sms before send_sms when unsure. A refusal names a reason "
        + "code and what to do; do not retry a refused send unchanged.";

    /// <summary>The tools whose every call leaves an audit record, refusals for their arguments included.</summary>
    private static readonly HashSet<string> AuditedTools = new(StringComparer.Ordinal) { "send_sms" };

    private static readonly string Version =
        typeof(McpServerSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IMcpServerBuilder AddSmsMcpServer(this IServiceCollection services)
    {
        var catalog = ToolCatalogWarmUp.Take();
        services.AddSingleton(catalog);
        services.AddSingleton<ClientConfirmation>();
        services.AddSanitizedLogging();
#pragma warning disable MCP9005 // logging/setLevel is deprecated; handled here only to refuse it.
        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "smsmcp", Title = "SmsMcp", Version = Version };
                options.ServerInstructions = Instructions;
                options.Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } };
            })
            .WithTools(catalog.Tools)
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(next => async (context, cancellationToken) =>
                {
                    // A caller sees only the tools its grant lets it call.
                    var result = await next(context, cancellationToken);
                    var access = AccessOf(context.User, context.Services);
                    result.Tools = [.. result.Tools.Where(t => ToolGrants.Allows(access, t))];
                    return result;
                })
                .AddCallToolFilter(next => (context, cancellationToken) =>
                    CheckArgumentsAsync(catalog, next, context, cancellationToken)))
            .WithSetLoggingLevelHandler((_, _) =>
                throw new McpProtocolException("Method not found: this server does not implement logging.", McpErrorCode.MethodNotFound))
            .WithMessageFilters(filters => filters
                .AddIncomingFilter(next => (context, cancellationToken) =>
                {
                    OfferOnlySupportedRevisions(context.JsonRpcMessage);
                    return next(context, cancellationToken);
                })
                .AddOutgoingFilter(next => (context, cancellationToken) =>
                {
                    RemoveLoggingCapability(context.JsonRpcMessage);
                    return next(context, cancellationToken);
                }));
#pragma warning restore MCP9005
    }

    private static async ValueTask<CallToolResult> CheckArgumentsAsync(
        ToolCatalog catalog,
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        RequestContext<CallToolRequestParams> context,
        CancellationToken cancellationToken)
    {
        // An unknown name is answered here, without echoing it (the SDK's own error repeats the name it was sent).
        var name = context.Params?.Name;
        var tool = name is null ? null : catalog.Find(name)
            ?? throw new McpProtocolException("Unknown tool: call tools/list for the tools this server has.", McpErrorCode.InvalidParams);
        // The HTTP guard already answered such a call with 403; this holds for any other path into the tools.
        if (tool is not null && !ToolGrants.Allows(AccessOf(context.User, context.Services), tool))
        {
            throw new McpProtocolException("This caller is not granted this tool (insufficient_scope).", McpErrorCode.InvalidRequest);
        }

        if (tool is not null && ToolArgumentValidator.Validate(tool, context.Params!.Arguments) is { } error)
        {
            if (AuditedTools.Contains(tool.Name))
            {
                await context.Services!.GetRequiredService<RefusalBeforeWalk>().RecordAsync(ToolCaller.Of(context), tool.Name, ToolResults.InvalidArgumentsCode);
            }

            return ToolResults.InvalidArguments(error);
        }

        try
        {
            return await next(context, cancellationToken);
        }
        catch (StorageException) when (tool?.Annotations?.ReadOnlyHint == true)
        {
            // Only a read-only tool may answer "storage unavailable" here: its sentence says nothing was sent, which
            // is true only of tools that send nothing. send_sms handles storage failures itself, step by step.
            return ToolResults.Refused(Refusal.StorageUnavailable);
        }
    }

    /// <summary>What the request's caller may call: its grant over HTTP; every tool for the local caller of stdio mode.</summary>
    private static ToolAccess AccessOf(System.Security.Claims.ClaimsPrincipal? user, IServiceProvider? services) =>
        CallerClaims.FromPrincipal(user) is not null ? ToolGrants.Of(user)
        : services?.GetService(typeof(StdioCaller)) is StdioCaller ? ToolAccess.Send
        : ToolAccess.None;

    /// <summary>
    /// An <c>initialize</c> asking for a revision this server does not negotiate that way (an older one, or 2026-07-28,
    /// which has no handshake) is answered with the newest handshake revision; the client then decides.
    /// </summary>
    private static void OfferOnlySupportedRevisions(JsonRpcMessage message)
    {
        if (message is JsonRpcRequest { Method: RequestMethods.Initialize, Params: JsonObject parameters }
            && parameters["protocolVersion"] is JsonValue requested
            && !(requested.TryGetValue<string>(out var version) && McpRevisions.Handshake.Contains(version, StringComparer.Ordinal)))
        {
            parameters["protocolVersion"] = McpRevisions.LatestHandshake;
        }
    }

    private static void RemoveLoggingCapability(JsonRpcMessage message)
    {
        if (message is JsonRpcResponse { Result: JsonObject result } && result["capabilities"] is JsonObject capabilities)
        {
            capabilities.Remove("logging");
        }
    }
}
