using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>The wire shape of preview_sms: the decision send_sms would take, without sending.</summary>
public sealed record PreviewSmsResult(
    [property: JsonPropertyName("allowed"), Description("Whether send_sms would send this message now.")] bool Allowed,
    [property: JsonPropertyName("reason_code"), Description("Why not, as a stable code; null when allowed.")] string? ReasonCode,
    [property: JsonPropertyName("reason"), Description("Why not, in a sentence; null when allowed.")] string? Reason,
    [property: JsonPropertyName("to"), Description("The resolved recipient, masked; null when it could not be resolved.")] string? To,
    [property: JsonPropertyName("segments"), Description("SMS segments the body takes.")] int Segments,
    [property: JsonPropertyName("encoding"), Description("gsm7 or ucs2; null when there is no body.")] string? Encoding,
    [property: JsonPropertyName("characters"), Description("Characters as carriers count them: GSM-7 septets or UTF-16 units.")] int Characters,
    [property: JsonPropertyName("estimated_cost"), Description("Segments times the policy's price for the destination; null when the policy has none.")] decimal? EstimatedCost,
    [property: JsonPropertyName("currency"), Description("Currency of estimated_cost; null when unknown.")] string? Currency,
    [property: JsonPropertyName("confirmation"), Description("\"client\" when send_sms will first ask the person at the client to confirm this message "
        + "(needs a client on MCP 2026-07-28 with form elicitation); null when no confirmation is asked.")] string? Confirmation = null,
    [property: JsonPropertyName("confirmation_fallback"), Description("With confirmation, what happens when the client cannot ask: "
        + "\"refuse\" (confirmation_unavailable) or \"approval\" (the send waits for an operator); null without confirmation.")] string? ConfirmationFallback = null);
