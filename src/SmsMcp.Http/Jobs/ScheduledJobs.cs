using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Confirmation;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Storage;

namespace SmsMcp.Http.Jobs;

/// <summary>The scheduled jobs, their names and NCRONTAB schedules: one list for the timer functions and the in-process schedule.</summary>
public static class ScheduledJobs
{
    public const string AnomalyScan = "anomaly-scan";

    /// <summary>Every five minutes (NCRONTAB, seconds first).</summary>
    public const string AnomalyScanSchedule = "0 */5 * * * *";

    /// <summary>Fetches messages still without a final status from the carrier (<see cref="StatusReconciler"/>).</summary>
    public const string ReconcileStatus = "reconcile-status";

    /// <summary>Every ten minutes.</summary>
    public const string ReconcileStatusSchedule = "0 */10 * * * *";

    /// <summary>Publishes the audit trail's chain heads to the head log (<see cref="AuditHeadPublisher"/>).</summary>
    public const string AuditHeads = "audit-heads";

    /// <summary>Every five minutes: records newer than the last publication are what a tail deletion could still hide.</summary>
    public const string AuditHeadsSchedule = "0 */5 * * * *";

    /// <summary>Resolves first-contact approval requests nobody decided within their lifetime (<see cref="ApprovalService.ExpireDueAsync"/>).</summary>
    public const string ApprovalExpiry = "approval-expiry";

    /// <summary>Every ten minutes: a caller polling a held message learns it expired within ten minutes of the end of its lifetime.</summary>
    public const string ApprovalExpirySchedule = "0 */10 * * * *";

    /// <summary>Deletes the single-use rows of confirmations nobody can redeem any more (<see cref="ConfirmationLedger.SweepAsync"/>).</summary>
    public const string ConfirmationSweep = "confirmation-sweep";

    /// <summary>Every 30 minutes: the ledger is partitioned by the hour its states expire in, and a run with no hour due reads one row.</summary>
    public const string ConfirmationSweepSchedule = "0 */30 * * * *";

    public static IReadOnlyList<ScheduledJob> All { get; } =
    [
        new(AnomalyScan, AnomalyScanSchedule, async (services, cancellationToken) =>
            string.Join(" ", await services.GetRequiredService<AnomalyScanJob>().RunAsync(cancellationToken))),
        new(ReconcileStatus, ReconcileStatusSchedule, async (services, cancellationToken) =>
        {
            var summary = await services.GetRequiredService<StatusReconciler>().RunAsync(cancellationToken);
            return $"Status reconciliation: {summary.Examined} pending, {summary.Fetched} fetched, {summary.Applied} updated, {summary.Settled} settled, {summary.WithoutCarrierId} without a carrier id, {summary.Errors} errors.";
        }),
        new(AuditHeads, AuditHeadsSchedule, async (services, cancellationToken) =>
            services.GetService<AuditHeadPublisher>() is { } publisher
                ? AuditHeadPublisher.Describe(await publisher.PublishAsync(cancellationToken))
                : "Audit heads: no head log is configured (AuditHeads section): nothing published, deleting the newest audit records stays undetectable."),
        new(ApprovalExpiry, ApprovalExpirySchedule, async (services, cancellationToken) =>
            $"Approval expiry: {await services.GetRequiredService<ApprovalService>().ExpireDueAsync(cancellationToken)} request(s) expired undecided, their text erased."),
        new(ConfirmationSweep, ConfirmationSweepSchedule, async (services, cancellationToken) =>
            $"Confirmation sweep: {await services.GetRequiredService<ConfirmationLedger>().SweepAsync(cancellationToken)} used confirmation(s) past their expiry deleted."),
    ];

    public static ScheduledJob Named(string name) =>
        All.FirstOrDefault(j => j.Name == name) ?? throw new ArgumentException($"No scheduled job is named '{name}'.", nameof(name));

    /// <summary>The jobs, their period claims and the runner both hosts call.</summary>
    public static IServiceCollection AddScheduledJobs(this IServiceCollection services)
    {
        services.AddSingleton<AnomalyScanJob>();
        services.AddSingleton<JobPeriodClaims>();
        services.AddTable(JobPeriodClaims.Table);
        services.AddSingleton<ScheduledJobRunner>();
        return services;
    }
}
