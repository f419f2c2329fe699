using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class SendSmsTool(SendPipeline pipeline)
{
    [McpServerTool(Name = "send_sms", Title = "Send an SMS", Destructive = false, Idempotent = false, OpenWorld = true, ReadOnly = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SendSmsResult))]
    [Description("Sends one SMS to an allowed recipient. The message really goes out (unless the server is in sandbox mode) and is audited. "
        + "A first message to a new number may need an operator's approval first: then status is pending_approval and get_message_status shows when it is sent. "
        + "Refusals return a reason code and what to do instead.")]
    public async Task<CallToolResult> SendAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Recipient: an alias from list_recipients (preferred), or an E.164 number such as +12025550123.")] string to,
        [Description("Message text, 1 to 1600 characters. Long or non-GSM text (emoji, accents outside GSM-7) costs more segments.")] string body,
        [Description("Optional key (1-128 of letters, digits, '-', '_', '.', ':') that makes retries safe: repeating a call with the same key "
            + "returns the first result instead of sending again, for 24 hours.")] string? idempotency_key = null,
        CancellationToken cancellationToken = default)
    {
        var outcome = await pipeline.SendAsync(new SendRequest(ToolCaller.Of(context), to, body, idempotency_key), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return ToolResults.Refused(refusal);
        }

        var result = outcome.Result!;
        return ToolResults.Success(new SendSmsResult(
            result.MessageId, result.DryRun ? ReasonCodes.DryRun : WireFormat.Of(result.Status), result.Segments, WireFormat.Of(result.Encoding),
            result.RecipientMasked, result.Replayed, result.DryRun));
    }
}
