using Microsoft.Extensions.Options;
using SmsMcp.Http.Jobs;

namespace SmsMcp.Server.Hosting;

/// <summary>
/// Runs the scheduled jobs (<see cref="ScheduledJobs"/>) inside the standalone server at the instants their NCRONTAB
/// schedules name, on the injected <see cref="TimeProvider"/>. Each run goes through <see cref="ScheduledJobRunner"/>, so
/// a period runs once however many servers share the store. A failing run is logged and the next period tried.
/// </summary>
public sealed class InProcessSchedule(
    IEnumerable<ScheduledJob> jobs, ScheduledJobRunner runner, IOptions<ScheduleOptions> options, TimeProvider time, ILogger<InProcessSchedule> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(jobs.Where(j => options.Value.Runs(j.Name)).Select(j => RunForeverAsync(j, stoppingToken)));

    private async Task RunForeverAsync(ScheduledJob job, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunNextAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Scheduled job {Job} failed; the next period will be tried.", job.Name);
            }
        }
    }

    /// <summary>Waits for the job's next occurrence, then runs it (once across instances); true when this instance ran it.</summary>
    internal async Task<bool> RunNextAsync(ScheduledJob job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await Task.Delay(job.Period.NextAfter(now) - now, time, cancellationToken);
        return await runner.RunAsync(job, cancellationToken);
    }
}
