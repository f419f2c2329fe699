using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SmsMcp.Http.Mcp.Tools;

/// <summary>One of the caller's own declared limits and what is left of it in its current window.</summary>
public sealed record UsageLimit(
    [property: JsonPropertyName("window"), Description("\"minute\", \"hour\", \"day\" or \"month\" (UTC calendar windows).")] string Window,
    [property: JsonPropertyName("metric"), Description("\"messages\", \"segments\" or \"spend\" (in the result's currency).")] string Metric,
    [property: JsonPropertyName("period"), Description("The current window: 2026-11-21T12:30Z, 2026-11-21T12Z, 2026-11-21 or 2026-11.")] string Period,
    [property: JsonPropertyName("used"), Description("Used in the current window.")] decimal Used,
    [property: JsonPropertyName("limit"), Description("The limit per window.")] decimal Limit,
    [property: JsonPropertyName("remaining"), Description("Left in the current window; a send needing more is refused.")] decimal Remaining);
