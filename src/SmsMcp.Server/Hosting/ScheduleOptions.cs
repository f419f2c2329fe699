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
    /// Per job name (<c>anomaly-scan</c>, <c>reconcile-status</c>): <c>false</c> turns that job off here. Default: all on,
    /// each on its NCRONTAB schedule, the same instants the timer functions fire.
    /// </summary>
    public Dictionary<string, bool> Jobs { get; set; } = [];

    public bool Runs(string job) => Enabled && (!Jobs.TryGetValue(job, out var on) || on);
}
