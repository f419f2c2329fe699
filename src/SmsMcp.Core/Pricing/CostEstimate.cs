namespace SmsMcp.Core.Pricing;

/// <summary>An estimated price: segments × the policy's per-segment price of the destination.</summary>
public sealed record CostEstimate(decimal Amount, string Currency);
