namespace SmsMcp.Core.Quotas;

/// <summary>
/// What get_usage reports: the caller's totals for the current UTC day and month, and every declared caller
/// and global limit with what is left of it. <see cref="Currency"/> is the currency of every spend figure.
/// </summary>
public sealed record QuotaUsage(string Day, QuotaTotals Today, string Month, QuotaTotals ThisMonth, string Currency, IReadOnlyList<QuotaUsageLine> Limits);
