using System.Text.Json.Serialization;
using SmsMcp.Core.Approvals;

namespace SmsMcp.Http.Admin;

/// <summary>
/// A first-contact request as an operator sees it (wire type, snake_case). <see cref="To"/> (what the agent passed,
/// normally an alias) and <see cref="Body"/> appear only on <c>GET /admin/approvals/{id}</c> while the request is
/// pending — the operator has to read what they approve — and never in listings.
/// </summary>
public sealed record ApprovalView(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("caller_id")] string CallerId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("to"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? To,
    [property: JsonPropertyName("body"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Body)
{
    public static ApprovalView From(PendingApproval request, bool withText) => new(
        request.RequestId,
        request.CallerId,
        request.State.ToString().ToLowerInvariant(),
        request.CreatedAt,
        request.ExpiresAt,
        withText && request.State == ApprovalState.Pending ? request.To : null,
        withText && request.State == ApprovalState.Pending ? request.Body : null);
}
