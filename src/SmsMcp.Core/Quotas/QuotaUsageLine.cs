namespace SmsMcp.Core.Quotas;

/// <summary>One of the caller's declared limits and how much of it is used in its current <see cref="Period"/> (spend in micro-units).</summary>
public sealed record QuotaUsageLine(QuotaWindow Window, QuotaMetric Metric, string Period, long Used, long Limit)
{
    public long Remaining => Math.Max(0, Limit - Used);
}
