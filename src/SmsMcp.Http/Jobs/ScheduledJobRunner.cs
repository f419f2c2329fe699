namespace SmsMcp.Http.Jobs;

/// <summary>
/// Runs a job for the period the clock is in, once across all instances: claims the period
/// (<see cref="JobPeriodClaims"/>), runs the work only when the claim is won, and gives the period back when the work
/// fails so that a retry can run it. Used by the timer functions and by the standalone server's in-process schedule.
/// </summary>
public sealed class ScheduledJobRunner(JobPeriodClaims claims, TimeProvider time, IServiceProvider services, ILogger<ScheduledJobRunner> logger)
{
    /// <summary>True when this call ran the job; false when the period was already claimed.</summary>
    public async Task<bool> RunAsync(ScheduledJob job, CancellationToken cancellationToken)
    {
        var period = job.Period.StartOf(time.GetUtcNow());
        if (await claims.TryClaimAsync(job.Name, period, cancellationToken) is not { } etag)
        {
            logger.LogInformation("Job {Job} for the period starting {Period:O} is already claimed by another instance; skipped.", job.Name, period);
            return false;
        }

        try
        {
            var summary = await job.Work(services, cancellationToken);
            logger.LogInformation("Job {Job} ran for the period starting {Period:O}: {Summary}", job.Name, period, summary);
            return true;
        }
        catch
        {
            await claims.ReleaseAsync(job.Name, period, etag, CancellationToken.None);
            throw;
        }
    }
}
