namespace SmsMcp.Core.Policy;

/// <summary>
/// Limits for all callers together (policy <c>global</c>): the last line against a runaway fleet of agents.
/// Null means "not declared". Spend caps are in the policy's pricing currency.
/// </summary>
public sealed record GlobalQuotas
{
    /// <summary>No global limit declared.</summary>
    public static GlobalQuotas None { get; } = new();

    public long? MessagesPerDay { get; init; }
    public decimal? SpendPerDay { get; init; }
    public decimal? SpendPerMonth { get; init; }
}
