using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>The wire shape of get_usage.</summary>
public sealed record UsageResult(
    [property: JsonPropertyName("today")] UsagePeriod Today,
    [property: JsonPropertyName("this_month")] UsagePeriod ThisMonth,
    [property: JsonPropertyName("currency"), Description("ISO 4217 currency of every spend figure.")] string Currency,
    [property: JsonPropertyName("limits"), Description("Each of your own quotas and spend caps; empty when none is declared. Limits shared by all callers are not shown.")] IReadOnlyList<UsageLimit> Limits);
