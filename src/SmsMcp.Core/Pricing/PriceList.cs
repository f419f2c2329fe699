using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Pricing;

/// <summary>Looks up configured per-segment prices.</summary>
public sealed class PriceList(IOptions<PricingOptions> options)
{
    /// <summary>The estimate, or null when the region has no configured price.</summary>
    public CostEstimate? Estimate(string region, int segments) =>
        options.Value.PerSegment.TryGetValue(region, out var price)
            ? new CostEstimate(price * segments, options.Value.Currency)
            : null;
}
