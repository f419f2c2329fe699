using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Policy;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class ListRecipientsTool(PolicyEngine policy)
{
    [McpServerTool(Name = "list_recipients", Title = "List recipients", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RecipientListResult))]
    [Description("Lists the recipient aliases you may text, with numbers masked. Use an alias as 'to' in send_sms.")]
    public CallToolResult List(RequestContext<CallToolRequestParams> context)
    {
        return ToolResults.Success(new RecipientListResult(
            policy.List(ToolCaller.Of(context)).Select(r => new RecipientItem(r.Alias, r.MaskedNumber, r.Region)).ToList()));
    }
}
