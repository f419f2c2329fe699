using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Http.Jobs;

/// <summary>
/// Who runs a job for a period: one insert-if-absent per job and period start in storage. Two instances whose timers
/// fire for the same period (scale-out, a host restart, the in-process schedule of two servers) race on the insert;
/// exactly one wins and runs the job. The table is declared in <see cref="ScheduledJobs.AddScheduledJobs"/> and created at start.
/// </summary>
public sealed class JobPeriodClaims(ITableStore store, TimeProvider time)
{
    public const string Table = "jobruns";

    /// <summary>The claim's ETag when this caller won the period; null when someone else already holds it.</summary>
    public async Task<string?> TryClaimAsync(string job, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(job, RowKey(periodStart), new Dictionary<string, object>
        {
            ["ClaimedAt"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        });
        try
        {
            return await store.InsertAsync(Table, entity, cancellationToken);
        }
        catch (EntityAlreadyExistsException)
        {
            return null;
        }
    }

    /// <summary>Gives a period back after the job failed, so a retry (or the other instance's next attempt) may run it.</summary>
    public async Task ReleaseAsync(string job, DateTimeOffset periodStart, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(Table, job, RowKey(periodStart), etag, cancellationToken);
        }
        catch (Exception e) when (e is EntityNotFoundException or PreconditionFailedException)
        {
        }
    }

    /// <summary>Row keys sort by time: <c>yyyyMMddTHHmmssZ</c> of the period start (UTC).</summary>
    public static string RowKey(DateTimeOffset periodStart) =>
        periodStart.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
