using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Usage;

/// <summary>
/// Per-caller counters of accepted messages, bucketed by UTC day and month so nothing needs cleaning up.
/// Increments use replace-if-match so concurrent instances never lose a count.
/// </summary>
public sealed class UsageCounters(ITableStore store, TimeProvider time)
{
    public const string Table = "Usage";
    private const int MaxAttempts = 16;

    public async Task AddAsync(string callerId, int segments, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await IncrementAsync(callerId, DayKey(now), segments, cancellationToken);
        await IncrementAsync(callerId, MonthKey(now), segments, cancellationToken);
    }

    public async Task<UsageSnapshot> GetAsync(string callerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = await ReadAsync(callerId, DayKey(now), cancellationToken);
        var month = await ReadAsync(callerId, MonthKey(now), cancellationToken);
        return new UsageSnapshot(
            DateOnly.FromDateTime(now.UtcDateTime),
            today,
            now.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            month);
    }

    private static string DayKey(DateTimeOffset at) => "d" + at.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string MonthKey(DateTimeOffset at) => "m" + at.ToString("yyyyMM", CultureInfo.InvariantCulture);

    private async Task<UsageTotals> ReadAsync(string callerId, string bucket, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, callerId, bucket, cancellationToken);
        return entity is null ? new UsageTotals(0, 0) : new UsageTotals(entity.Get<long>("Messages"), entity.Get<long>("Segments"));
    }

    private async Task IncrementAsync(string callerId, string bucket, int segments, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(Table, callerId, bucket, cancellationToken);
            var messages = (current?.Get<long>("Messages") ?? 0) + 1;
            var total = (current?.Get<long>("Segments") ?? 0) + segments;
            var next = new TableEntity(callerId, bucket, new Dictionary<string, object> { ["Messages"] = messages, ["Segments"] = total });
            try
            {
                if (current is null)
                {
                    await store.InsertAsync(Table, next, cancellationToken);
                }
                else
                {
                    await store.ReplaceAsync(Table, next, current.ETag!, cancellationToken);
                }

                return;
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
            {
                // Another instance wrote first: read again and retry.
            }
        }

        throw new StorageUnavailableException("The usage counter stayed contended after repeated retries.");
    }
}
