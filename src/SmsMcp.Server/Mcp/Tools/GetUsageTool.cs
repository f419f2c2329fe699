using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Usage;

namespace SmsMcp.Server.Mcp.Tools;

[McpServerToolType]
public sealed class GetUsageTool(UsageCounters usage)
{
    [McpServerTool(Name = "get_usage", Title = "Get usage", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(UsageResult))]
    [Description("Shows how many messages and segments you have sent today and this month (UTC).")]
    public async Task<CallToolResult> GetAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken = default)
    {
        var snapshot = await usage.GetAsync(ToolCaller.Of(context).Id, cancellationToken);
        return ToolResults.Success(new UsageResult(
            new UsagePeriod(snapshot.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), snapshot.Today.Messages, snapshot.Today.Segments),
            new UsagePeriod(snapshot.Month, snapshot.ThisMonth.Messages, snapshot.ThisMonth.Segments)));
    }
}
