using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Quotas;

/// <summary>
/// Turns the policy's quotas into ledger scopes for one send: caller → recipient → prefix → global, each only when
/// the policy limits it, so an unlimited scope costs no round trip. The one exception: a caller without limits is
/// still counted (get_usage reports it), but last — it can refuse nothing, and counting only sends every limit
/// let through keeps a burst from piling up on it before the limits that will refuse most of the burst.
/// </summary>
public sealed class QuotaPlanner(SendPolicy policy, Pseudonymizer pseudonymizer)
{
    /// <summary>Digits left off a number to name its range (<c>perPrefixPerDay</c>).</summary>
    public const int PrefixTrimDigits = 4;

    private const string GlobalKey = "global";

    public QuotaPlan Plan(CallerIdentity caller, PhoneNumber number, int segments)
    {
        var profile = policy.ProfileFor(caller.Id);
        var quotas = profile?.Quotas ?? DeclaredQuotas.None;
        var global = policy.Global;
        var spendCapped = quotas.SpendPerDay is not null || quotas.SpendPerMonth is not null
            || global.SpendPerDay is not null || global.SpendPerMonth is not null;

        long spend = 0;
        if (policy.Pricing.Estimate(number.Region, segments) is { } estimate)
        {
            spend = QuotaMoney.ToMicros(estimate.Amount);
        }
        else if (spendCapped)
        {
            // A cap cannot be held for a send of unknown cost: fail closed.
            return new QuotaPlan([], new QuotaCharge(1, segments, 0), Refusal.PriceUnknown);
        }

        var callerScope = CallerScope(caller, quotas);
        var scopes = new List<QuotaScope>();
        if (callerScope.Limits.Count > 0)
        {
            scopes.Add(callerScope);
        }

        if (quotas.PerRecipientPerDay is { } perRecipient)
        {
            scopes.Add(new QuotaScope(QuotaScopeKind.Recipient, $"r:{profile!.Name}:{pseudonymizer.Recipient(number.E164)}",
                [new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, perRecipient)]));
        }

        if (quotas.PerPrefixPerDay is { } perPrefix)
        {
            var prefix = number.E164[..^PrefixTrimDigits];
            scopes.Add(new QuotaScope(QuotaScopeKind.Prefix, $"p:{profile!.Name}:{pseudonymizer.Prefix(prefix)}",
                [new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, perPrefix)]));
        }

        if (GlobalScope() is { } globalScope)
        {
            scopes.Add(globalScope);
        }

        if (callerScope.Limits.Count == 0)
        {
            scopes.Add(callerScope);
        }

        return new QuotaPlan(scopes, new QuotaCharge(1, segments, spend), null);
    }

    /// <summary>The caller's own scope and its limits (none for a caller without a profile).</summary>
    public QuotaScope CallerScope(CallerIdentity caller) =>
        CallerScope(caller, policy.ProfileFor(caller.Id)?.Quotas ?? DeclaredQuotas.None);

    /// <summary>The caller's daily budget of billed lookups (<c>lookup.maxPerDay</c> of its profile, counted as messages).</summary>
    public QuotaScope LookupScope(CallerIdentity caller) =>
        new(QuotaScopeKind.Lookup, $"l:{caller.Id}",
            [new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, (policy.ProfileFor(caller.Id)?.Lookup ?? LookupRules.Off).MaxPerDay)]);

    /// <summary>The scope of all callers together, or null when the policy declares no global limit.</summary>
    public QuotaScope? GlobalScope()
    {
        var global = policy.Global;
        var limits = Limits(
            (QuotaWindow.Day, QuotaMetric.Messages, global.MessagesPerDay),
            (QuotaWindow.Day, QuotaMetric.Spend, Micros(global.SpendPerDay)),
            (QuotaWindow.Month, QuotaMetric.Spend, Micros(global.SpendPerMonth)));
        return limits.Count == 0 ? null : new QuotaScope(QuotaScopeKind.Global, GlobalKey, limits);
    }

    private static QuotaScope CallerScope(CallerIdentity caller, DeclaredQuotas quotas) =>
        new(QuotaScopeKind.Caller, $"c:{caller.Id}", Limits(
            (QuotaWindow.Minute, QuotaMetric.Messages, quotas.MessagesPerMinute),
            (QuotaWindow.Hour, QuotaMetric.Messages, quotas.MessagesPerHour),
            (QuotaWindow.Day, QuotaMetric.Messages, quotas.MessagesPerDay),
            (QuotaWindow.Month, QuotaMetric.Messages, quotas.MessagesPerMonth),
            (QuotaWindow.Day, QuotaMetric.Segments, quotas.SegmentsPerDay),
            (QuotaWindow.Month, QuotaMetric.Segments, quotas.SegmentsPerMonth),
            (QuotaWindow.Day, QuotaMetric.Spend, Micros(quotas.SpendPerDay)),
            (QuotaWindow.Month, QuotaMetric.Spend, Micros(quotas.SpendPerMonth))));

    private static long? Micros(decimal? amount) => amount is { } a ? QuotaMoney.ToMicros(a) : null;

    private static List<QuotaLimit> Limits(params (QuotaWindow Window, QuotaMetric Metric, long? Limit)[] declared) =>
        declared.Where(d => d.Limit is not null).Select(d => new QuotaLimit(d.Window, d.Metric, d.Limit!.Value)).ToList();
}
