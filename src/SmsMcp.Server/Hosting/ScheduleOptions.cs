using SmsMcp.Http.Jobs;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// The standalone server's in-process schedule (configuration section <c>Schedule</c>). In Azure the timer functions run
/// the jobs instead; several servers on one store may all keep it on, because each period is claimed in storage and runs once.
/// </summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";

    /// <summary>Run the scheduled jobs in this process. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Per job name (<c>anomaly-scan</c>, <c>reconcile-status</c>, <c>audit-heads</c>): <c>false</c> turns that job off here. Default: all on,
    /// each on its NCRONTAB schedule, the same instants the timer functions fire.
    /// </summary>
    public Dictionary<string, bool> Jobs { get; set; } = [];

    /// <summary>
    /// Per job name: an NCRONTAB schedule that replaces the job's own in this process only (<c>0 */N * * * *</c> or
    /// <c>*/N * * * * *</c>, N dividing 60) — for demos and end-to-end tests that cannot wait five minutes. The timer
    /// functions keep the built-in schedules. Default: none.
    /// </summary>
    public Dictionary<string, string> Schedules { get; set; } = [];

    /// <summary>The job as this process runs it: with its schedule replaced when <see cref="Schedules"/> names it.</summary>
    public ScheduledJob Resolve(ScheduledJob job) =>
        Schedules.TryGetValue(job.Name, out var schedule) ? new ScheduledJob(job.Name, schedule, job.Work) : job;

    public bool Runs(string job) => Enabled && (!Jobs.TryGetValue(job, out var on) || on);
}
