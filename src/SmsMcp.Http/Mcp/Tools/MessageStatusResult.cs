using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>The wire shape of get_message_status.</summary>
public sealed record MessageStatusResult(
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("status"), Description("queued, sent, delivered, undelivered, failed or unknown; for a first contact also pending_approval (waiting for an operator), denied or expired (nothing was sent).")] string Status,
    [property: JsonPropertyName("to"), Description("The recipient, masked.")] string To,
    [property: JsonPropertyName("alias"), Description("The alias the message was addressed to, if any.")] string? Alias,
    [property: JsonPropertyName("segments")] int Segments,
    [property: JsonPropertyName("encoding")] string Encoding,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("error_code"), Description("The carrier's error code when the message is undelivered or failed (Twilio's ErrorCode, e.g. 30003 unreachable, 21610 opted out); null otherwise.")] int? ErrorCode = null);
