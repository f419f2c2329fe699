using Microsoft.Azure.Functions.Worker;
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
}
