namespace SmsMcp.Core.Quotas;

/// <summary>
/// What get_usage reports: the caller's totals for the current UTC day and month, and each of its own
/// declared limits with what is left of it (never the global ones: see <see cref="QuotaGate.UsageAsync"/>). <see cref="Currency"/> is the currency of every spend figure.
/// </summary>
public sealed record QuotaUsage(string Day, QuotaTotals Today, string Month, QuotaTotals ThisMonth, string Currency, IReadOnlyList<QuotaUsageLine> Limits);
