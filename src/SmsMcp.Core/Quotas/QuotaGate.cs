using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Quotas;

/// <summary>The quota step of the send walk (after the idempotency claim, before the audit attempt): plans a send's scopes and reserves, checks or releases them.</summary>
public sealed class QuotaGate(QuotaPlanner planner, QuotaLedger ledger, SendPolicy policy)
{
    private static readonly QuotaCharge OneLookup = new(1, 0, 0);

    /// <summary>The send's quota scopes and charge (a planned refusal included): planned once, for <see cref="ExpectsToReserve"/> and <see cref="ReserveAsync"/>.</summary>
    public QuotaPlan Plan(CallerIdentity caller, PhoneNumber number, int segments) => planner.Plan(caller, number, segments);

    /// <summary>Reserves the send in every scope, or refuses it. Throws <see cref="StorageException"/> when storage cannot answer.</summary>
    public async Task<QuotaDecision> ReserveAsync(QuotaPlan plan, CancellationToken cancellationToken) =>
        plan.Refusal is { } refusal
            ? QuotaDecision.Refused(refusal)
            : await ledger.ReserveAsync(plan.Scopes, plan.Charge, cancellationToken);

    /// <summary>
    /// Whether <see cref="ReserveAsync"/> is expected to reserve the send, judged without a request from the counters
    /// this instance last saw (<see cref="QuotaLedger.ExpectsToAdmit"/>): false for a refusal known in advance, and when
    /// the instance has not seen a scope's counters. A guess that only decides whether work may start before the answer.
    /// </summary>
    public bool ExpectsToReserve(QuotaPlan plan) => plan.Refusal is null && ledger.ExpectsToAdmit(plan.Scopes, plan.Charge);

    /// <summary>The refusal the send would meet now, reserving nothing. Throws <see cref="StorageException"/> when storage cannot answer.</summary>
    public async Task<Refusal?> CheckAsync(CallerIdentity caller, PhoneNumber number, int segments, CancellationToken cancellationToken)
    {
        var plan = planner.Plan(caller, number, segments);
        return plan.Refusal ?? await ledger.CheckAsync(plan.Scopes, plan.Charge, cancellationToken);
    }

    /// <summary>
    /// Before a billed first-contact lookup: the refusal the send would meet anyway, read only (so a caller whose quota
    /// or spend cap is used up cannot spend lookups on sends that cannot go out); else one lookup taken from the caller's
    /// daily lookup budget, or that budget's refusal. The lookup is never given back: it is paid whatever it answers.
    /// Throws <see cref="StorageException"/> when storage cannot answer.
    /// </summary>
    public async Task<Refusal?> TakeLookupAsync(CallerIdentity caller, PhoneNumber number, int segments, CancellationToken cancellationToken) =>
        await CheckAsync(caller, number, segments, cancellationToken)
            ?? (await ledger.ReserveAsync([planner.LookupScope(caller)], OneLookup, cancellationToken)).Refusal;

    /// <summary>
    /// Gives a reservation back after a send that certainly did not go out. Never throws for storage: over-counting is
    /// the safe side. Callers pass <see cref="CancellationToken.None"/> when a hung-up caller must not stop the release.
    /// </summary>
    public Task ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken) =>
        ledger.ReleaseQuietlyAsync(reservation, cancellationToken);

    /// <summary>
    /// The caller's totals and each of its own declared limits with what is left. Global limits are left out on
    /// purpose: their counts are every caller's volume and spend, which one caller has no business seeing (a send
    /// they stop still answers <c>global_quota_exceeded</c>).
    /// </summary>
    public async Task<QuotaUsage> UsageAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        var windows = ledger.CurrentWindows();
        var own = planner.CallerScope(caller);
        var counters = await ledger.ReadAsync(own.PartitionKey, cancellationToken);
        var lines = Lines(own, counters, windows).ToList();
        return new QuotaUsage(
            windows.Display(QuotaWindow.Day), Totals(counters, windows, QuotaWindow.Day),
            windows.Display(QuotaWindow.Month), Totals(counters, windows, QuotaWindow.Month),
            policy.Pricing.Currency, lines);
    }

    private static IEnumerable<QuotaUsageLine> Lines(QuotaScope scope, QuotaCounters counters, QuotaWindows windows) =>
        scope.Limits.Select(l => new QuotaUsageLine(l.Window, l.Metric, windows.Display(l.Window), counters.Get(windows, l.Window, l.Metric), l.Limit));

    private static QuotaTotals Totals(QuotaCounters counters, QuotaWindows windows, QuotaWindow window) => new(
        counters.Get(windows, window, QuotaMetric.Messages),
        counters.Get(windows, window, QuotaMetric.Segments),
        counters.Get(windows, window, QuotaMetric.Spend));
}
