using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// The single-use record of every confirmation answered: an insert-if-absent keyed by the state's nonce, so a state is
/// accepted once across any number of instances (both table backends honour insert-if-absent). Rows are partitioned by
/// the UTC hour their state expires in, so <see cref="SweepAsync"/> can drop whole hours nobody can redeem any more
/// instead of keeping one row per confirmation forever.
/// </summary>
public sealed class ConfirmationLedger(ITableStore store, TimeProvider time)
{
    public const string Table = "Confirmations";

    /// <summary>
    /// How long a row outlives its state's expiry hour. The gate refuses an expired state before it asks the ledger, so a
    /// row is needed only while some instance could still take its state for unexpired: this margin covers an instance
    /// whose clock runs behind the sweeping one.
    /// </summary>
    public static readonly TimeSpan KeptPastExpiry = TimeSpan.FromHours(1);

    // A sweep that finds no mark (the first ever) starts this far back: further than any state lives (30 minutes at most)
    // plus a job left switched off for a week.
    private static readonly TimeSpan FirstSweepLookBack = TimeSpan.FromDays(7);

    private const string HourPrefix = "e";
    internal const string SweepPartition = "sweep";
    internal const string SweepRow = "mark";
    private const string NextHourProperty = "NextHour";

    // Before rows were partitioned by hour, each had its nonce as partition and this row key. Such a row still marks its
    // state used: a state redeemed just before an upgrade must not redeem again just after it.
    internal const string LegacyRow = "used";

    /// <summary>
    /// Marks the state used. True when this call was the first; false when it had been used before.
    /// Throws <see cref="StorageException"/> when the store cannot answer (the caller refuses: fail closed).
    /// </summary>
    public async Task<bool> TryUseAsync(ConfirmationState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(PartitionOf(state.ExpiresAt), state.Nonce, new Dictionary<string, object>
        {
            ["CallerId"] = state.CallerId,
            ["ExpiresAt"] = state.ExpiresAt,
            ["UsedAt"] = time.GetUtcNow(),
        });
        var first = InsertIfAbsentAsync(entity, cancellationToken);
        var legacy = store.GetAsync(Table, state.Nonce, LegacyRow, cancellationToken);
        await Task.WhenAll(first, legacy);
        return await first && await legacy is null;
    }

    /// <summary>
    /// Deletes the rows of every expiry hour that ended at least <see cref="KeptPastExpiry"/> ago and that an earlier
    /// sweep has not cleared, then records where the next sweep starts. Returns the rows deleted. Safe to run
    /// concurrently or again after a failure: a row another sweep deleted is simply gone.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = UtcHour.Of(now - TimeSpan.FromHours(1) - KeptPastExpiry);
        var mark = await store.GetAsync(Table, SweepPartition, SweepRow, cancellationToken);
        var hour = mark?.Get<DateTimeOffset>(NextHourProperty) ?? UtcHour.Of(now - FirstSweepLookBack);
        var deleted = 0;
        for (; hour <= last; hour = hour.AddHours(1))
        {
            var partition = PartitionOf(hour);
            var rows = new List<string>();
            await foreach (var entity in store.QueryAllAsync(Table, partition, null, null, 1000, cancellationToken))
            {
                rows.Add(entity.RowKey);
            }

            foreach (var row in rows)
            {
                try
                {
                    await store.DeleteAsync(Table, partition, row, "*", cancellationToken);
                    deleted++;
                }
                catch (EntityNotFoundException)
                {
                    // Another sweep got there first.
                }
            }
        }

        if (mark is null || hour > mark.Get<DateTimeOffset>(NextHourProperty))
        {
            await store.UpsertAsync(Table, new TableEntity(SweepPartition, SweepRow, new Dictionary<string, object> { [NextHourProperty] = hour }), cancellationToken);
        }

        return deleted;
    }

    private async Task<bool> InsertIfAbsentAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await store.InsertAsync(Table, entity, cancellationToken);
            return true;
        }
        catch (EntityAlreadyExistsException)
        {
            return false;
        }
    }

    private static string PartitionOf(DateTimeOffset at) => HourPrefix + UtcHour.Of(at).ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
