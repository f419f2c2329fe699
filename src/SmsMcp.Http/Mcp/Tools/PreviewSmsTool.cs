using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Pricing;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class PreviewSmsTool(SendPipeline pipeline, PriceList prices, PolicyEngine policy)
{
    [McpServerTool(Name = "preview_sms", Title = "Preview an SMS", Destructive = false, Idempotent = true, OpenWorld = false, ReadOnly = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PreviewSmsResult))]
    [Description("Shows what send_sms would do with this recipient and body — allowed or not and why, segments, encoding, estimated cost, "
        + "whether the person at the client must confirm it — without sending anything.")]
    public async Task<CallToolResult> PreviewAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Recipient: an alias from list_recipients, or an E.164 number.")] string to,
        [Description("Message text to check.")] string body,
        CancellationToken cancellationToken = default)
    {
        var caller = ToolCaller.Of(context);
        var evaluation = await pipeline.PreviewAsync(caller, to, body, cancellationToken);
        var (confirm, fallback, _) = policy.ConfirmationFor(caller);
        var confirming = confirm == ConfirmMode.Client;
        var segmentation = evaluation.Segmentation;
        var cost = evaluation.Recipient is { } recipient && segmentation is not null
            ? prices.Estimate(recipient.Number.Region, segmentation.Segments)
            : null;
        return ToolResults.Success(new PreviewSmsResult(
            evaluation.Allowed,
            evaluation.Refusal?.Code,
            evaluation.Refusal?.Message,
            evaluation.Recipient?.Number.Masked,
            segmentation?.Segments ?? 0,
            segmentation is null ? null : WireFormat.Of(segmentation.Encoding),
            segmentation?.Units ?? 0,
            cost?.Amount,
            cost?.Currency,
            confirming ? "client" : null,
            confirming ? (fallback == ConfirmFallback.Approval ? "approval" : "refuse") : null));
    }
}
