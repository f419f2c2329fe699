using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Recipients;

namespace SmsMcp.Server.Mcp.Tools;

[McpServerToolType]
public sealed class ListRecipientsTool(RecipientDirectory recipients)
{
    [McpServerTool(Name = "list_recipients", Title = "List recipients", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RecipientListResult))]
    [Description("Lists the recipient aliases you may text, with numbers masked. Use an alias as 'to' in send_sms.")]
    public CallToolResult List(RequestContext<CallToolRequestParams> context)
    {
        _ = ToolCaller.Of(context);
        return ToolResults.Success(new RecipientListResult(
            recipients.List().Select(r => new RecipientItem(r.Alias, r.MaskedNumber, r.Region)).ToList()));
    }
}
