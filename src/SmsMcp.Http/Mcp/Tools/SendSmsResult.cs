using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>The wire shape of an accepted send_sms.</summary>
public sealed record SendSmsResult(
    [property: JsonPropertyName("message_id"), Description("Id to pass to get_message_status.")] string MessageId,
    [property: JsonPropertyName("status"), Description("queued, sent, delivered, undelivered, failed or unknown; dry_run when the server is in dry-run mode and nothing was sent; pending_approval when this first contact waits for an operator (nothing sent yet: follow it with get_message_status).")] string Status,
    [property: JsonPropertyName("segments"), Description("SMS segments the message takes (billing unit).")] int Segments,
    [property: JsonPropertyName("encoding"), Description("gsm7 or ucs2.")] string Encoding,
    [property: JsonPropertyName("to"), Description("The recipient, masked.")] string To,
    [property: JsonPropertyName("replayed"), Description("True when an idempotency_key returned an earlier send's result; nothing new was sent.")] bool Replayed,
    [property: JsonPropertyName("dry_run"), Description("True when the server is in dry-run mode: the send passed every check and was audited, but nothing was sent and message_id has no status to look up.")] bool DryRun);
