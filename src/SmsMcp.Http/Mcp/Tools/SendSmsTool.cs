using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Http.Mcp.Confirmation;

namespace SmsMcp.Http.Mcp.Tools;

[McpServerToolType]
public sealed class SendSmsTool(SendPipeline pipeline, ClientConfirmation confirmation)
{
    [McpServerTool(Name = "send_sms", Title = "Send an SMS", Destructive = false, Idempotent = false, OpenWorld = true, ReadOnly = false,
        UseStructuredContent = true, OutputSchemaType = typeof(SendSmsResult))]
    [Description("Sends one SMS to an allowed recipient. The message really goes out (unless the server is in sandbox mode) and is audited. "
        + "A first message to a new number may need an operator's approval first: then status is pending_approval and get_message_status shows when it is sent. "
        + "Some callers' sends must first be confirmed by the person at the client (preview_sms says so): the client then shows them the message and only their yes sends it. "
        + "Refusals return a reason code and what to do instead.")]
    public async Task<CallToolResult> SendAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("Recipient: an alias from list_recipients (preferred), or an E.164 number such as +12025550123.")] string to,
        [Description("Message text, 1 to 1600 characters. Long or non-GSM text (emoji, accents outside GSM-7) costs more segments.")] string body,
        [Description("Optional key (1-128 of letters, digits, '-', '_', '.', ':') that makes retries safe: repeating a call with the same key "
            + "returns the first result instead of sending again, for 24 hours.")] string? idempotency_key = null,
        CancellationToken cancellationToken = default)
    {
        // Confirmation is decided before the walk: it either refuses (audited) or hands over the request to send.
        var decision = await confirmation.DecideAsync(context, new SendRequest(ToolCaller.Of(context), to, body, idempotency_key), cancellationToken);
        if (decision.Refusal is { } declined)
        {
            return ToolResults.Refused(declined);
        }

        var outcome = await pipeline.SendAsync(decision.Proceed!, cancellationToken);
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
