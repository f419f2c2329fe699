namespace SmsMcp.Http.Jobs;

/// <summary>
/// One scheduled job: its name (also the timer function's name), its NCRONTAB schedule and the work, which returns
/// one line to log. Both hosts run jobs only through <see cref="ScheduledJobRunner"/>, which claims the period first.
/// </summary>
public sealed record ScheduledJob(string Name, string Schedule, Func<IServiceProvider, CancellationToken, Task<string>> Work)
{
    /// <summary>The schedule's period, parsed once (<see cref="CronPeriod"/>).</summary>
    public CronPeriod Period { get; } = CronPeriod.Parse(Schedule);
}
