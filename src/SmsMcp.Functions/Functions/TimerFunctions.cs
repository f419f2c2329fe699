using SmsMcp.Http.Jobs;

namespace SmsMcp.Functions.Functions;

/// <summary>
/// The timer triggers: each runs its job through <see cref="ScheduledJobRunner"/>, which claims the period in storage
/// first, so two instances firing for one period (scale-out, a restart, a past-due catch-up) run the work once.
/// </summary>
public sealed class TimerFunctions(ScheduledJobRunner runner)
{
    [Function(FunctionNames.AnomalyScan)]
    public Task AnomalyScanAsync([TimerTrigger(ScheduledJobs.AnomalyScanSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(ScheduledJobs.Named(FunctionNames.AnomalyScan), cancellationToken);

    [Function(FunctionNames.ReconcileStatus)]
    public Task ReconcileStatusAsync([TimerTrigger(ScheduledJobs.ReconcileStatusSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(ScheduledJobs.Named(FunctionNames.ReconcileStatus), cancellationToken);

    [Function(FunctionNames.AuditHeads)]
    public Task AuditHeadsAsync([TimerTrigger(ScheduledJobs.AuditHeadsSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(ScheduledJobs.Named(FunctionNames.AuditHeads), cancellationToken);

    [Function(FunctionNames.ApprovalExpiry)]
    public Task ApprovalExpiryAsync([TimerTrigger(ScheduledJobs.ApprovalExpirySchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(ScheduledJobs.Named(FunctionNames.ApprovalExpiry), cancellationToken);

    [Function(FunctionNames.ConfirmationSweep)]
    public Task ConfirmationSweepAsync([TimerTrigger(ScheduledJobs.ConfirmationSweepSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runner.RunAsync(ScheduledJobs.Named(FunctionNames.ConfirmationSweep), cancellationToken);
}
