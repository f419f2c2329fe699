using SmsMcp.Core.Vocabulary;


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
        (QuotaScopeKind.Caller, _) => QuotaExceeded(limit.Window, limit.Metric),
        (QuotaScopeKind.Recipient, _) => Refusal.RecipientQuotaExceeded,
        (QuotaScopeKind.Prefix, _) => Refusal.PrefixQuotaExceeded,
        (QuotaScopeKind.Lookup, _) => Refusal.LookupBudgetExceeded,
        _ => Refusal.GlobalQuotaExceeded,
    };

    /// <summary>The caller's own quota for <paramref name="window"/> is used up; the sentence says which one and when it restarts.</summary>
    private static Refusal QuotaExceeded(QuotaWindow window, QuotaMetric metric)
    {
        var what = metric == QuotaMetric.Segments ? "SMS segments" : "messages";
        var (period, next) = window switch
        {
            QuotaWindow.Minute => ("this minute", "in a minute"),
            QuotaWindow.Hour => ("this hour", "next hour (UTC)"),
            QuotaWindow.Day => ("today", "tomorrow (UTC)"),
            _ => ("this month", "next month (UTC)"),
        };
        return new Refusal(ReasonCodes.QuotaExceeded,
            $"You have sent as many {what} {period} as you may, so nothing was sent. Try again {next}; get_usage shows what is left.");
    }
}
