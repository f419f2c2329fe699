using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Quotas;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class GetUsageTool(QuotaGate quotas)
{
    [McpServerTool(Name = "get_usage", Title = "Get usage", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(UsageResult))]
    [Description("Shows what you have sent today and this month (UTC) — messages, segments, spend — and, for each of your own quotas and spending caps, how much is left.")]
    public async Task<CallToolResult> GetAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken = default)
    {
        var usage = await quotas.UsageAsync(ToolCaller.Of(context), cancellationToken);
        return ToolResults.Success(ToResult(usage));
    }

    /// <summary>The wire shape, shared with the operator's <c>GET /admin/usage</c>.</summary>
    public static UsageResult ToResult(QuotaUsage usage) => new(
        Period(usage.Day, usage.Today),
        Period(usage.Month, usage.ThisMonth),
        usage.Currency,
        usage.Limits.Select(Limit).ToList());

    private static UsagePeriod Period(string period, QuotaTotals totals) =>
        new(period, totals.Messages, totals.Segments, QuotaMoney.FromMicros(totals.SpendMicros));

    private static UsageLimit Limit(QuotaUsageLine line)
    {
        decimal Amount(long value) => line.Metric == QuotaMetric.Spend ? QuotaMoney.FromMicros(value) : value;
        return new UsageLimit(WireFormat.Of(line.Window), WireFormat.Of(line.Metric), line.Period,
            Amount(line.Used), Amount(line.Limit), Amount(line.Remaining));
    }
}
