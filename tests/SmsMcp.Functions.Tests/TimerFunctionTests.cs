using Microsoft.Azure.Functions.Worker;
using SmsMcp.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Functions.Functions;
using SmsMcp.Functions.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests;

/// <summary>
/// The timer functions run the same jobs as the in-process schedule, through the period claim: two instances' timers
/// firing for one period (modelled as two concurrent invocations sharing the store) run the job once.
/// </summary>
public sealed class TimerFunctionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 5, 0, 250, TimeSpan.Zero);

    private static TimerInfo Timer() => new() { IsPastDue = false };

    [Theory]
    [InlineData(FunctionNames.AnomalyScan)]
    [InlineData(FunctionNames.ReconcileStatus)]
    [InlineData(FunctionNames.AuditHeads)]
    public async Task TwoInvocationsForOnePeriod_RunTheJobOnce(string function)
    {
        var time = new FakeTimeProvider(Now);
        await using var worker = await Worker.StartWithAsync(services => services.AddSingleton<TimeProvider>(time));
        var timers = ActivatorUtilities.CreateInstance<TimerFunctions>(worker.Services);
        Func<TimerInfo, CancellationToken, Task> invoke = function switch
        {
            FunctionNames.AnomalyScan => timers.AnomalyScanAsync,
            FunctionNames.ReconcileStatus => timers.ReconcileStatusAsync,
            _ => timers.AuditHeadsAsync,
        };

        await Task.WhenAll(Task.Run(() => invoke(Timer(), CancellationToken.None)), Task.Run(() => invoke(Timer(), CancellationToken.None)));

        Assert.Single(worker.Logs.Lines, l => l.Contains($"Job {function} ran for the period starting", StringComparison.Ordinal));
        Assert.Single(worker.Logs.Lines, l => l.Contains($"Job {function} for the period starting", StringComparison.Ordinal) && l.Contains("already claimed", StringComparison.Ordinal));

        // The next period runs again.
        time.Advance(TimeSpan.FromMinutes(10));
        await invoke(Timer(), CancellationToken.None);
        Assert.Equal(2, worker.Logs.Lines.Count(l => l.Contains($"Job {function} ran for the period starting", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AuditHeads_PublishesTheTrailsChainHeads_WhichTheVerifierThenChecks()
    {
        var time = new FakeTimeProvider(Now);
        await using var worker = await Worker.StartWithAsync(services => services.AddSingleton<TimeProvider>(time));
        var log = worker.Services.GetRequiredService<AuditLog>();
        await log.RecordAsync(new AuditRecord
        {
            Id = AuditLog.NewId(Now), Time = Now, CallerId = "dev", Tool = "send_sms", BodyHash = new string('3', 64), BodyLength = 2,
            Stage = AuditStage.Completed, Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed",
        }, CancellationToken.None);
        var timers = ActivatorUtilities.CreateInstance<TimerFunctions>(worker.Services);

        await timers.AuditHeadsAsync(Timer(), CancellationToken.None);

        Assert.Single(worker.Logs.Lines, l => l.Contains("Audit heads published: head #1 for 2026-12-07 (1 writers, 1 records", StringComparison.Ordinal));
        var verification = await worker.Services.GetRequiredService<AuditVerifier>().VerifyAsync(DateOnly.FromDateTime(Now.UtcDateTime), CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.Equal((1, 0), (verification.HeadsChecked, verification.Uncovered));
    }
}
