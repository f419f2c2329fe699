namespace SmsMcp.Core.Usage;

/// <summary>A caller's usage for the current UTC day and month.</summary>
public sealed record UsageSnapshot(DateOnly Day, UsageTotals Today, string Month, UsageTotals ThisMonth);
