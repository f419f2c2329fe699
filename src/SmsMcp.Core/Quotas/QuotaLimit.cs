namespace SmsMcp.Core.Quotas;

/// <summary>At most <see cref="Limit"/> of <see cref="Metric"/> per <see cref="Window"/> (spend in micro-units).</summary>
public sealed record QuotaLimit(QuotaWindow Window, QuotaMetric Metric, long Limit);
