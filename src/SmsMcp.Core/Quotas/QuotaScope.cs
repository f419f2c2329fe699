using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Quotas;

/// <summary>
/// One ledger entity and the limits that apply to it for a send. <see cref="PartitionKey"/> never holds a phone
/// number or prefix in clear: those scopes are keyed by their <see cref="Audit.Pseudonymizer"/> pseudonym.
/// </summary>
public sealed record QuotaScope(QuotaScopeKind Kind, string PartitionKey, IReadOnlyList<QuotaLimit> Limits)
{
    /// <summary>The first limit <paramref name="charge"/> would break on top of <paramref name="counters"/>, or null.</summary>
    public QuotaLimit? FirstExceeded(QuotaCounters counters, QuotaWindows current, QuotaCharge charge) =>
        Limits.FirstOrDefault(l => charge.Of(l.Metric) > 0 && counters.Get(current, l.Window, l.Metric) + charge.Of(l.Metric) > l.Limit);

    /// <summary>The refusal a send gets when <paramref name="limit"/> of this scope stops it.</summary>
    public Refusal RefusalFor(QuotaLimit limit) => (Kind, limit.Metric) switch
    {
        (_, QuotaMetric.Spend) => Refusal.SpendCapExceeded,
        (QuotaScopeKind.Caller, _) => Refusal.QuotaExceeded(limit.Window, limit.Metric),
        (QuotaScopeKind.Recipient, _) => Refusal.RecipientQuotaExceeded,
        (QuotaScopeKind.Prefix, _) => Refusal.PrefixQuotaExceeded,
        (QuotaScopeKind.Lookup, _) => Refusal.LookupBudgetExceeded,
        _ => Refusal.GlobalQuotaExceeded,
    };
}
