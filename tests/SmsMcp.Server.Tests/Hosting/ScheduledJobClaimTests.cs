using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Storage;
using SmsMcp.Http.Jobs;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>
/// A job's period is claimed in storage before it runs: however many instances fire for one period at once (each with
/// its own connection to the store, as separate processes would have), the work happens once. Run on every backend.
/// </summary>
public abstract class ScheduledJobClaimTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 14, 4, 59, TimeSpan.Zero);

    /// <summary>A new connection to the one shared store (another "instance").</summary>
    protected abstract ITableStore Connect();

    private static ScheduledJob CountingJob(string name, Func<Task>? work, Action ran) =>
        new(name, ScheduledJobs.AnomalyScanSchedule, async (_, _) =>
        {
            ran();
            if (work is not null)
            {
                await work();
            }

            return "counted";
        });

    private ScheduledJobRunner Runner(TimeProvider time)
    {
        var store = Connect();
        // What the hosts' TableInitializer does at start for the declared table.
        store.CreateTableIfNotExistsAsync(JobPeriodClaims.Table, CancellationToken.None).GetAwaiter().GetResult();
        return new(new JobPeriodClaims(store, time), time, new ServiceCollection().BuildServiceProvider(), NullLogger<ScheduledJobRunner>.Instance);
    }

    [Fact]
    public async Task ConcurrentRunsForOnePeriod_WorkHappensOnce()
    {
        var time = new FakeTimeProvider(Start);
        var runs = 0;
        var job = CountingJob("job-" + Guid.NewGuid().ToString("N"), null, () => Interlocked.Increment(ref runs));
        var runners = Enumerable.Range(0, 8).Select(_ => Runner(time)).ToList();

        var won = await Task.WhenAll(runners.Select(r => Task.Run(() => r.RunAsync(job, CancellationToken.None))));

        Assert.Equal(1, runs);
        Assert.Single(won, w => w);
    }

    [Fact]
    public async Task EachPeriod_RunsOnce_AndTheNextPeriodRunsAgain()
    {
        var time = new FakeTimeProvider(Start);
        var runs = 0;
        var job = CountingJob("job-" + Guid.NewGuid().ToString("N"), null, () => Interlocked.Increment(ref runs));

        Assert.True(await Runner(time).RunAsync(job, CancellationToken.None));          // period 14:00
        time.Advance(TimeSpan.FromSeconds(1));                                          // 14:05:00, a new period
        await Task.WhenAll(Runner(time).RunAsync(job, CancellationToken.None), Runner(time).RunAsync(job, CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(4));                                          // 14:09:00, still that period
        Assert.False(await Runner(time).RunAsync(job, CancellationToken.None));

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task FailedRun_GivesThePeriodBack_SoARetryRunsIt()
    {
        var time = new FakeTimeProvider(Start);
        var runs = 0;
        var fail = true;
        var job = CountingJob("job-" + Guid.NewGuid().ToString("N"), () => fail ? throw new InvalidOperationException("boom") : Task.CompletedTask, () => runs++);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(time).RunAsync(job, CancellationToken.None));
        fail = false;
        Assert.True(await Runner(time).RunAsync(job, CancellationToken.None));
        Assert.False(await Runner(time).RunAsync(job, CancellationToken.None));

        Assert.Equal(2, runs);
    }
}
