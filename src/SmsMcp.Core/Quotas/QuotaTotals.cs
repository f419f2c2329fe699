namespace SmsMcp.Core.Quotas;

/// <summary>What a scope counted in one window.</summary>
public sealed record QuotaTotals(long Messages, long Segments, long SpendMicros);
