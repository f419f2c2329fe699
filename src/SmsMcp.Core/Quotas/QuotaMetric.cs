namespace SmsMcp.Core.Quotas;

/// <summary>What a quota counts.</summary>
public enum QuotaMetric
{
    Messages,
    Segments,

    /// <summary>Price × segments, in integer micro-units of the policy currency (see <see cref="QuotaMoney"/>).</summary>
    Spend,
}
