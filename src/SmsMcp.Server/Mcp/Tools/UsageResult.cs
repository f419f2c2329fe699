using System.Text.Json.Serialization;

namespace SmsMcp.Server.Mcp.Tools;

/// <summary>The wire shape of get_usage.</summary>
public sealed record UsageResult(
    [property: JsonPropertyName("today")] UsagePeriod Today,
    [property: JsonPropertyName("this_month")] UsagePeriod ThisMonth);
