namespace SmsMcp.Core.Policy;

/// <summary>
/// Quotas a profile declares (policy <c>profiles.{name}.quotas</c>), enforced per caller by the quota ledger
/// (<c>src/SmsMcp.Core/Quotas</c>). Validated at start: positive, and no shorter window above a longer one.
/// Null means "not declared". Spend caps are in the policy's pricing currency.
/// </summary>
public sealed record DeclaredQuotas
{
    /// <summary>No quota declared.</summary>
    public static DeclaredQuotas None { get; } = new();

    public long? MessagesPerMinute { get; init; }
    public long? MessagesPerHour { get; init; }
    public long? MessagesPerDay { get; init; }
    public long? MessagesPerMonth { get; init; }
    public long? SegmentsPerDay { get; init; }
    public long? SegmentsPerMonth { get; init; }

    /// <summary>Messages per UTC day to one number, by all callers of this profile together.</summary>
    public long? PerRecipientPerDay { get; init; }

    /// <summary>
    /// Messages per UTC day to numbers sharing everything but their last four digits, by all callers of this
    /// profile together: the SMS pumping defence against runs of sequential numbers.
    /// </summary>
    public long? PerPrefixPerDay { get; init; }

    public decimal? SpendPerDay { get; init; }
    public decimal? SpendPerMonth { get; init; }
}
