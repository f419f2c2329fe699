using System.Text.Json.Serialization;
using SmsMcp.Http.Mcp.Tools;

namespace SmsMcp.Http.Admin;

/// <summary>
/// One caller's usage as <c>GET /admin/usage</c> shows it (wire type, snake_case): what <c>get_usage</c> shows that
/// caller, for every caller the policy lists.
/// </summary>
public sealed record CallerUsageView(
    [property: JsonPropertyName("caller_id")] string CallerId,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("usage")] UsageResult Usage);
