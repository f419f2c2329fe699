namespace SmsMcp.Core.Pricing;

/// <summary>
/// Per-segment prices by destination region (policy <c>pricing</c>), for preview estimates and spend caps.
/// Prices have at most six decimals (the parser checks), so spend is exact in integer micro-units.
/// </summary>
public sealed class PriceList(string currency, IReadOnlyDictionary<string, decimal> perSegment)
{
    /// <summary>The default currency when the policy names none.</summary>
    public const string DefaultCurrency = "USD";

    /// <summary>No prices: every estimate is unknown, and any send under a spend cap is refused (price_unknown).</summary>
    public static PriceList Empty { get; } = new(DefaultCurrency, new Dictionary<string, decimal>());

    /// <summary>ISO 4217 code of every price and spend cap in the policy.</summary>
    public string Currency { get; } = currency;

    /// <summary>ISO 3166-1 alpha-2 region (or "001") → price of one outbound segment.</summary>
    public IReadOnlyDictionary<string, decimal> PerSegment { get; } = perSegment;

    /// <summary>The estimate, or null when the region has no price.</summary>
    public CostEstimate? Estimate(string region, int segments) =>
        PerSegment.TryGetValue(region, out var price) ? new CostEstimate(price * segments, Currency) : null;
}
