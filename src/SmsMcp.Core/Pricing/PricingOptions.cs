namespace SmsMcp.Core.Pricing;

/// <summary>
/// Price per SMS segment by destination region (configuration section <c>Pricing</c>), used for cost
/// estimates. Default: none, so estimates are unknown until the operator enters their carrier's prices.
/// </summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>ISO 4217 currency of the prices. Default: USD.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>ISO 3166-1 alpha-2 region → price of one outbound segment.</summary>
    public Dictionary<string, decimal> PerSegment { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
