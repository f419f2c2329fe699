namespace SmsMcp.Core.Quotas;

/// <summary>What one send adds to every scope it reserves in.</summary>
public sealed record QuotaCharge(long Messages, long Segments, long SpendMicros)
{
    public long Of(QuotaMetric metric) => metric switch
    {
        QuotaMetric.Messages => Messages,
        QuotaMetric.Segments => Segments,
        _ => SpendMicros,
    };
}
