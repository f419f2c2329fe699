using System.Text.Json.Serialization;

namespace SmsMcp.Cli.Admin;

// The /admin wire shapes this tool reads (snake_case, as the server writes them). Kept apart from the server's types:
// the tool talks to deployments of other versions, and reads only what it shows.

internal sealed record ControlState(
    [property: JsonPropertyName("control")] string Control,
    [property: JsonPropertyName("caller_id")] string? CallerId,
    [property: JsonPropertyName("engaged")] bool Engaged,
    [property: JsonPropertyName("changed_by")] string? ChangedBy,
    [property: JsonPropertyName("changed_at")] DateTimeOffset? ChangedAt);

internal sealed record ApprovalItem(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("caller_id")] string CallerId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

internal sealed record ApprovalDecision(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("reason_code")] string? ReasonCode);

internal sealed record CallerUsage(
    [property: JsonPropertyName("caller_id")] string CallerId,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("usage")] UsageFigures Usage);

internal sealed record UsageFigures(
    [property: JsonPropertyName("today")] UsagePeriod Today,
    [property: JsonPropertyName("this_month")] UsagePeriod ThisMonth,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("limits")] IReadOnlyList<UsageLimit> Limits);

internal sealed record UsagePeriod(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("messages")] long Messages,
    [property: JsonPropertyName("segments")] long Segments,
    [property: JsonPropertyName("spend")] decimal Spend);

internal sealed record UsageLimit(
    [property: JsonPropertyName("window")] string Window,
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("used")] decimal Used,
    [property: JsonPropertyName("limit")] decimal Limit,
    [property: JsonPropertyName("remaining")] decimal Remaining);

internal sealed record ControlChange([property: JsonPropertyName("engaged")] bool Engaged);
