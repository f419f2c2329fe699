using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>Usage in one period.</summary>
public sealed record UsagePeriod(
    [property: JsonPropertyName("period"), Description("The UTC day (yyyy-MM-dd) or month (yyyy-MM).")] string Period,
    [property: JsonPropertyName("messages"), Description("Messages reserved for sending (sent, or with an unknown outcome).")] long Messages,
    [property: JsonPropertyName("segments"), Description("Segments of those messages.")] long Segments,
    [property: JsonPropertyName("spend"), Description("Their cost at the policy's prices, in the result's currency (0 where no price is set).")] decimal Spend);
