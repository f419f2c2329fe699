namespace SmsMcp.Core.Policy;

/// <summary>
/// Quotas a profile declares. Validated at start (positive, day within month); enforcement comes with the
/// storage-backed quota ledger, so today they limit nothing. Null means "not declared".
/// </summary>
public sealed record DeclaredQuotas(long? MessagesPerDay, long? MessagesPerMonth, long? SegmentsPerDay, long? SegmentsPerMonth)
{
    /// <summary>No quota declared.</summary>
    public static DeclaredQuotas None { get; } = new(null, null, null, null);
}
