using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Quotas;

/// <summary>
/// Quota counters in storage, exact across any number of instances (storage-enforced with ETags, never a local count). One entity per
/// scope holds all its windows (<see cref="QuotaCounters"/>), so a send costs one read and one write per scope
/// it reserves in when uncontended — only the write when this instance wrote the scope last — and nothing ever needs
/// cleaning up.
/// </summary>
/// <remarks>
/// Every change is read → check → insert-if-absent or replace-if-match. A lost race (412/409) waits a jittered,
/// growing backoff, re-reads and decides again, until <see cref="QuotaOptions.ContentionDeadline"/>; then the
/// send is refused <c>storage_unavailable</c>. Each write records its id in the entity: Azure.Core retries a
/// write whose response was lost, and that retry answers 412 although the first attempt landed, so a conflict
/// whose re-read shows our id is a success, not a reason to count again.
///
/// Within one instance, changes to the same entity queue on a striped in-process queue first: the ETag check alone
/// keeps counts exact, but letting a burst of local requests race each other through storage only turns into
/// 412s and backoff, and a burst of 256 could then run out of deadline before the quota fills and refuses the rest.
/// With the queue, an entity sees at most one contender per instance. The changes that queued while one write was on
/// its way are folded into the next: applied one after another, in arrival order, to the counters as stored, and written
/// as one replace-if-match (one nonce for all of them). The ETag still decides: if another instance wrote in between,
/// none of them counted, and all are decided again on a fresh read. So a caller's concurrent sends cost one counter
/// write per storage round trip instead of one each, one after another. While the queue is busy, a request that would
/// be refused finds that out from a lock-free read instead of queueing (see <see cref="ChangeAsync"/>).
/// </remarks>
public sealed class QuotaLedger(ITableStore store, TimeProvider time, IOptions<QuotaOptions> options, ILogger<QuotaLedger> logger)
{
    public const string Table = "Quotas";

    /// <summary>One entity per scope: the partition key names the scope, the row is always this one.</summary>
    private const string Row = "counters";

    /// <summary>Lock stripes: bounded however many recipients and prefixes pass through, and rarely shared by two hot entities.</summary>
    private const int Stripes = 64;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>Bounds one folded write, so its entity and its list of nonces stay small.</summary>
    private const int MaxFolded = 32;

    private readonly QuotaStripe[] _stripes = Enumerable.Range(0, Stripes).Select(_ => new QuotaStripe()).ToArray();

    /// <summary>
    /// Per stripe, the counter entity this instance wrote last, with its ETag (touched only by the stripe's one writer, see <see cref="QuotaStripe"/>). A
    /// change starts from it instead of reading: when no other instance wrote since, the replace-if-match succeeds and the
    /// reservation costs one request; when one did, it answers 412 and the entity is read as before. Exactness rests on the
    /// ETag, never on this copy, and a refusal is never decided on it (see <see cref="WriteFoldedAsync"/>).
    /// </summary>
    private readonly TableEntity?[] _lastWritten = new TableEntity?[Stripes];

    /// <summary>
    /// Per stripe, the counter entity as this instance last saw it (written or freshly read), never cleared: a hint for
    /// <see cref="ExpectsToAdmit"/>, read from any thread while the stripe's writer may be replacing it. Nothing is decided on it.
    /// </summary>
    private readonly TableEntity?[] _lastSeen = new TableEntity?[Stripes];

    /// <summary>
    /// Reserves <paramref name="charge"/> in each scope in order; when one refuses, the earlier ones are released
    /// and its refusal returned. Throws <see cref="StorageException"/> when storage cannot answer, or
    /// <see cref="OperationCanceledException"/> when cancelled (earlier reservations released as far as storage allows).
    /// </summary>
    /// <remarks>
    /// The windows are read from the clock on every attempt, not once per reservation: a retry after contention can
    /// land in the next minute, and must count there.
    /// </remarks>
    public async Task<QuotaDecision> ReserveAsync(IReadOnlyList<QuotaScope> scopes, QuotaCharge charge, CancellationToken cancellationToken)
    {
        // Scope by scope, each released on a later refusal, because no transaction can hold them: every scope is its own
        // partition (caller, recipient, prefix, global...), and an entity group transaction holds one partition.
        var id = Guid.NewGuid().ToString("N");
        var held = new List<QuotaHold>();
        try
        {
            foreach (var scope in scopes)
            {
                Refusal? refusal = null;
                QuotaWindows? counted = null;
                await ChangeAsync(scope.PartitionKey, counters =>
                {
                    var windows = counters.Effective(CurrentWindows());
                    if (scope.FirstExceeded(counters, windows, charge) is { } limit)
                    {
                        refusal = scope.RefusalFor(limit);
                        return null;
                    }

                    refusal = null;
                    counted = windows;
                    return counters.Add(windows, charge);
                }, cancellationToken);

                if (refusal is not null)
                {
                    await ReleaseQuietlyAsync(new QuotaReservation(id, charge, held), CancellationToken.None);
                    return QuotaDecision.Refused(refusal);
                }

                held.Add(new QuotaHold(scope, counted!));
            }
        }
        catch (Exception e) when ((e is StorageException or OperationCanceledException) && held.Count > 0)
        {
            // A cancelled caller must not keep the counts it held: release with None, the caller is gone.
            await ReleaseQuietlyAsync(new QuotaReservation(id, charge, held), CancellationToken.None);
            throw;
        }

        return QuotaDecision.Reserved(new QuotaReservation(id, charge, held));
    }

    /// <summary>
    /// Whether <see cref="ReserveAsync"/> is expected to admit <paramref name="charge"/> in every scope, judged from the
    /// counters this instance last saw, without a request: false when one of them would refuse it, and when a scope's
    /// counters were never seen here (a cold instance, or a stripe another entity took over). A guess, not a decision: other
    /// instances' writes since are unknown, and only <see cref="ReserveAsync"/> reserves or refuses.
    /// </summary>
    public bool ExpectsToAdmit(IReadOnlyList<QuotaScope> scopes, QuotaCharge charge)
    {
        var now = CurrentWindows();
        foreach (var scope in scopes)
        {
            if (Volatile.Read(ref _lastSeen[StripeOf(scope.PartitionKey)]) is not { } seen || seen.PartitionKey != scope.PartitionKey)
            {
                return false;
            }

            var counters = QuotaCounters.Read(seen);
            if (scope.FirstExceeded(counters, counters.Effective(now), charge) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Takes a reservation back, in the windows that still count it. Throws <see cref="StorageException"/> when it cannot.</summary>
    public async Task ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken)
    {
        foreach (var hold in reservation.Holds)
        {
            await ChangeAsync(hold.Scope.PartitionKey, counters => counters.Subtract(hold.Windows, reservation.Charge), cancellationToken);
        }
    }

    /// <summary>The first refusal <paramref name="charge"/> would meet, without reserving anything (what a preview reports).</summary>
    public async Task<Refusal?> CheckAsync(IReadOnlyList<QuotaScope> scopes, QuotaCharge charge, CancellationToken cancellationToken)
    {
        var windows = CurrentWindows();
        foreach (var scope in scopes)
        {
            var counters = await ReadAsync(scope.PartitionKey, cancellationToken);
            if (scope.FirstExceeded(counters, windows, charge) is { } limit)
            {
                return scope.RefusalFor(limit);
            }
        }

        return null;
    }

    /// <summary>The stored counters of one scope (all zero when it never reserved anything).</summary>
    public async Task<QuotaCounters> ReadAsync(string partitionKey, CancellationToken cancellationToken) =>
        QuotaCounters.Read(await store.GetAsync(Table, partitionKey, Row, cancellationToken));

    /// <summary>The current windows, by the ledger's clock.</summary>
    public QuotaWindows CurrentWindows() => QuotaWindows.At(time.GetUtcNow());

    /// <summary>
    /// Applies <paramref name="change"/> (null = write nothing) with optimistic concurrency until it sticks, folded with the
    /// other changes to the same entity queued meanwhile in this instance. <paramref name="change"/> must be pure but for
    /// what it captures: it may run several times, and its last run is the one that counted.
    /// The deadline is wall-clock time on purpose: it bounds how long a caller waits, whatever the business clock says.
    /// </summary>
    private async Task ChangeAsync(string partitionKey, Func<QuotaCounters, QuotaCounters?> change, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var index = StripeOf(partitionKey);
        var stripe = _stripes[index];

        // A busy stripe means a queue: once a quota is full, every request behind it would wait its turn only to be
        // refused. A refusal needs no write, so it is decided on a read taken without queueing — the stored count at
        // that moment already left no room. Only a request that may succeed queues.
        if (stripe.Busy && change(QuotaCounters.Read(Saw(index, await store.GetAsync(Table, partitionKey, Row, cancellationToken)))) is null)
        {
            return;
        }

        var queued = new QueuedQuotaChange(partitionKey, change, started);
        if (stripe.Enqueue(queued))
        {
            _ = DrainAsync(index);
        }

        try
        {
            await queued.Done.WaitAsync(options.Value.ContentionDeadline, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException && queued.TryAbandon())
        {
            // Not taken into a write yet: it never will be.
            throw e is TimeoutException ? new StorageUnavailableException("A quota counter stayed busy in this instance past the deadline.") : e;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Already taken into a write: its outcome stands, and the write's own deadline bounds the wait.
            await queued.Done;
        }
    }

    private static int StripeOf(string partitionKey) => (int)((uint)StringComparer.Ordinal.GetHashCode(partitionKey) % Stripes);

    /// <summary>Writes the stripe's queued changes, one folded write per entity at a time, until the queue is empty.</summary>
    private async Task DrainAsync(int stripe)
    {
        while (_stripes[stripe].TakeBatch(MaxFolded) is { Count: > 0 } batch)
        {
            try
            {
                await WriteFoldedAsync(stripe, batch);
                batch.ForEach(c => c.Complete(null));
            }
            catch (Exception e)
            {
                batch.ForEach(c => c.Complete(e));
            }
        }
    }

    /// <summary>
    /// One replace-if-match (or insert) holding every change of <paramref name="batch"/> that fits, in order; each change
    /// decides on the counters as the changes before it left them. Retried as a whole on a conflict, from a fresh read.
    /// </summary>
    private async Task WriteFoldedAsync(int stripe, List<QueuedQuotaChange> batch)
    {
        var partitionKey = batch[0].PartitionKey;
        var started = batch.Min(c => c.Started);
        var nonce = Guid.NewGuid().ToString("N");
        var current = _lastWritten[stripe] is { } known && known.PartitionKey == partitionKey ? known : null;
        _lastWritten[stripe] = null;
        var fresh = current is null;
        current ??= Saw(stripe, await store.GetAsync(Table, partitionKey, Row, CancellationToken.None));
        for (var attempt = 0; ; attempt++)
        {
            var counters = QuotaCounters.Read(current);
            var changed = false;
            var declined = false;
            foreach (var queued in batch)
            {
                if (queued.Change(counters) is { } next)
                {
                    counters = next;
                    changed = true;
                }
                else
                {
                    declined = true;
                }
            }

            if (declined && !fresh)
            {
                // Our own last write may be stale (another instance released, or a window moved on there): a refusal is
                // only ever decided on a fresh read.
                current = Saw(stripe, await store.GetAsync(Table, partitionKey, Row, CancellationToken.None));
                fresh = true;
                continue;
            }

            if (!changed)
            {
                return;
            }

            var entity = counters.ToEntity(partitionKey, Row, nonce);
            try
            {
                var etag = current is null
                    ? await store.InsertAsync(Table, entity, CancellationToken.None)
                    : await store.ReplaceAsync(Table, entity, current.ETag!, CancellationToken.None);
                _lastWritten[stripe] = Saw(stripe, entity with { ETag = etag });
                return;
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityAlreadyExistsException or EntityNotFoundException)
            {
                // Someone else wrote first — or our own write landed and only its answer was lost (see remarks).
            }

            if (Stopwatch.GetElapsedTime(started) > options.Value.ContentionDeadline)
            {
                throw new StorageUnavailableException("A quota counter stayed contended past the deadline.");
            }

            // A conflict on our own last write is not contention: re-read at once.
            if (fresh)
            {
                await Task.Delay(Backoff(attempt), CancellationToken.None);
            }

            current = Saw(stripe, await store.GetAsync(Table, partitionKey, Row, CancellationToken.None));
            fresh = true;
            if (current is not null && QuotaCounters.Read(current).Remembers(nonce))
            {
                // The last decisions stand: that is what the write that landed held.
                return;
            }
        }
    }

    /// <summary>Notes <paramref name="entity"/> as the stripe's last seen counters (see <see cref="_lastSeen"/>) and returns it.</summary>
    private TableEntity? Saw(int stripe, TableEntity? entity)
    {
        if (entity is not null)
        {
            Volatile.Write(ref _lastSeen[stripe], entity);
        }

        return entity;
    }

    /// <summary>"Full jitter": a random wait up to an exponentially growing cap, so contenders spread out instead of colliding again.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(MaxBackoff.TotalMilliseconds, FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    /// <summary><see cref="ReleaseAsync"/> that never throws for storage (it logs instead).</summary>
    public async Task ReleaseQuietlyAsync(QuotaReservation reservation, CancellationToken cancellationToken)
    {
        try
        {
            await ReleaseAsync(reservation, cancellationToken);
        }
        catch (StorageException e)
        {
            // Over-counting is the safe direction: the caller is refused a little early, never allowed too much.
            logger.LogError(e, "Quota reservation {ReservationId} could not be released; its counts stay until the window ends.", reservation.Id);
        }
    }
}
