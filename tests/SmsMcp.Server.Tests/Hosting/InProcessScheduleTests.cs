using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Http.Jobs;
using SmsMcp.Infrastructure.Storage.Sqlite;
using SmsMcp.Server.Hosting;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Hosting;

/// <summary>The standalone server's in-process schedule: fires at the NCRONTAB instants, through the period claim, and can be turned off.</summary>
public sealed class InProcessScheduleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-schedule-").FullName;

    private (InProcessSchedule Schedule, FakeTimeProvider Time) Create(DateTimeOffset start, ScheduledJob job, ScheduleOptions? options = null)
    {
        var time = new FakeTimeProvider(start);
        var store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        // What the hosts' TableInitializer does at start for the declared table.
        store.CreateTableIfNotExistsAsync(JobPeriodClaims.Table, CancellationToken.None).GetAwaiter().GetResult();
        var runner = new ScheduledJobRunner(new JobPeriodClaims(store, time), time, new ServiceCollection().BuildServiceProvider(), NullLogger<ScheduledJobRunner>.Instance);
        return (new InProcessSchedule([job], runner, Options.Create(options ?? new ScheduleOptions()), time, NullLogger<InProcessSchedule>.Instance), time);
    }

    [Theory]
    [InlineData("0 */5 * * * *", "2026-12-07T14:03:10Z", "2026-12-07T14:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-12-07T14:05:00Z", "2026-12-07T14:10:00Z")]
    [InlineData("0 */10 * * * *", "2026-12-07T14:51:00Z", "2026-12-07T15:00:00Z")]
    [InlineData("0 */10 * * * *", "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z")]
    public async Task NextRun_IsAtTheScheduledInstant_NotBefore(string schedule, string startText, string expectedText)
    {
        var start = DateTimeOffset.Parse(startText, System.Globalization.CultureInfo.InvariantCulture);
        var expected = DateTimeOffset.Parse(expectedText, System.Globalization.CultureInfo.InvariantCulture);
        DateTimeOffset? ranAt = null;
        FakeTimeProvider? clock = null;
        var job = new ScheduledJob("job-" + Guid.NewGuid().ToString("N"), schedule, (_, _) =>
        {
            ranAt = clock!.GetUtcNow();
            return Task.FromResult("ran");
        });
        var (schedule_, time) = Create(start, job);
        clock = time;

        var run = schedule_.RunNextAsync(job, CancellationToken.None);
        time.Advance(expected - start - TimeSpan.FromMilliseconds(1));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(expected, ranAt);
    }

    [Fact]
    public async Task TwoServersOnOneStore_RunAPeriodOnce()
    {
        var runs = 0;
        var job = new ScheduledJob("job-" + Guid.NewGuid().ToString("N"), ScheduledJobs.AnomalyScanSchedule, (_, _) =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult("ran");
        });
        var start = new DateTimeOffset(2026, 12, 7, 14, 4, 0, TimeSpan.Zero);
        var (first, firstTime) = Create(start, job);
        var (second, secondTime) = Create(start, job);

        var runA = first.RunNextAsync(job, CancellationToken.None);
        var runB = second.RunNextAsync(job, CancellationToken.None);
        firstTime.Advance(TimeSpan.FromMinutes(1));
        secondTime.Advance(TimeSpan.FromMinutes(1));
        var won = await Task.WhenAll(runA, runB).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, runs);
        Assert.Single(won, w => w);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void Options_TurnTheScheduleOrOneJobOff(bool enabled, bool? job, bool runs)
    {
        var options = new ScheduleOptions { Enabled = enabled };
        if (job is { } on)
        {
            options.Jobs[ScheduledJobs.AnomalyScan] = on;
        }

        Assert.Equal(runs, options.Runs(ScheduledJobs.AnomalyScan));
        Assert.Equal(enabled, options.Runs(ScheduledJobs.ReconcileStatus));
    }

    [Fact]
    public void UnknownJobName_StopsTheServer()
    {
        using var factory = new ScheduleFactory();
        var failure = factory.StartFailure();
        Assert.Contains("Schedule:Jobs", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 */7 * * * *")]
    [InlineData("0 0 * * * *")]
    [InlineData("0 */0 * * * *")]
    [InlineData("*/7 * * * * *")]
    [InlineData("*/0 * * * * *")]
    [InlineData("5 * * * * *")]
    public void UnsupportedSchedule_IsRefused(string schedule) =>
        Assert.Throws<FormatException>(() => CronPeriod.Parse(schedule));

    [Theory]
    [InlineData("0 */5 * * * *", 300)]
    [InlineData("0 */60 * * * *", 3600)]
    [InlineData("*/2 * * * * *", 2)]
    [InlineData("*/30 * * * * *", 30)]
    public void SupportedSchedule_HasItsPeriod(string schedule, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CronPeriod.Parse(schedule).Length);

    [Fact]
    public void ScheduleOverride_ReplacesOnlyThatJobsPeriod()
    {
        var options = new ScheduleOptions { Schedules = { [ScheduledJobs.AnomalyScan] = "*/2 * * * * *" } };
        Assert.Equal(TimeSpan.FromSeconds(2), options.Resolve(ScheduledJobs.Named(ScheduledJobs.AnomalyScan)).Period.Length);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Resolve(ScheduledJobs.Named(ScheduledJobs.ReconcileStatus)).Period.Length);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ScheduleFactory : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Schedule:Jobs:no-such-job", "true")];
    }
}
