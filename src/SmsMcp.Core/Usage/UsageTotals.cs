namespace SmsMcp.Core.Usage;

/// <summary>What a caller has sent in one period.</summary>
public sealed record UsageTotals(long Messages, long Segments);
