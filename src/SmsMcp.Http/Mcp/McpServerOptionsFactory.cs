using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// Server options for one request, pinned to the protocol revision that request speaks. Only tools are
/// advertised: no logging (log lines could carry data meant for the operator), prompts or resources.
/// </summary>
public sealed class McpServerOptionsFactory(ToolCatalog catalog)
{
    private static readonly string Version =
        typeof(McpServerOptionsFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public const string Instructions =
        "Sends SMS on behalf of the operator, within an allowlist, quotas and audit. Address recipients by the aliases "
        + "from list_recipients. Check a message with preview_sms before send_sms when unsure. A refusal names a reason "
        + "code and what to do; do not retry a refused send unchanged.";

    /// <param name="protocolVersion">The revision to pin, or null to let the SDK negotiate (stdio).</param>
    public McpServerOptions Create(string? protocolVersion)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "smsmcp", Title = "SmsMcp", Version = Version },
            ProtocolVersion = protocolVersion,
            ServerInstructions = Instructions,
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } },
            ToolCollection = catalog.Tools,
        };
        options.Filters.Request.CallToolFilters.Add(next => async (context, cancellationToken) =>
        {
            var tool = context.Params?.Name is { } name ? catalog.Find(name) : null;
            if (tool is not null && ToolArgumentValidator.Validate(tool, context.Params!.Arguments) is { } error)
            {
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
        });
        return options;
    }
}
