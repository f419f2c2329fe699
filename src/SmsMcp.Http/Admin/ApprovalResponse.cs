using System.Text.Json.Serialization;

namespace SmsMcp.Http.Admin;

/// <summary>
/// The answer to <c>POST /admin/approvals/{id}/approve|deny</c> (wire type, snake_case): the request's state and, for
/// an approval, the message status (<c>dry_run</c> in dry-run mode) or the code the re-checked send was refused with.
/// Never the recipient or the text.
/// </summary>
public sealed record ApprovalResponse(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("reason_code")] string? ReasonCode);
