using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Audit;

/// <summary>
/// The append-only audit trail on the table contract, partitioned by UTC day. A send writes its record
/// before the provider is called (<see cref="BeginAsync(AuditRecord, CancellationToken)"/>) and completes the same record afterwards, so a
/// crash in between leaves a visible "attempt" rather than an unrecorded send. Every write is sealed
/// (<see cref="AuditSealer"/> explains the scheme) so <see cref="AuditVerifier"/> can detect tampering.
/// </summary>
/// <remarks>
/// Each instance is one writer with its own chains (one per day), assigned in memory under a short lock: writers
/// never coordinate through storage, so sealing adds no round trip and no contention to a send.
/// </remarks>
public sealed class AuditLog(ITableStore store, AuditSealer sealer, TimeProvider time)
{
    public const string Table = "Audit";

    // Days whose chain heads are kept: today and yesterday cover a record whose id was taken just before midnight.
    private const int ChainDaysKept = 2;

    private readonly Lock _chainLock = new();
    private readonly Dictionary<string, AuditChainLink> _heads = [];
    private string _writer = NewWriterId();

    /// <summary>Writes the attempt record. Throws <see cref="StorageException"/> when it cannot; the caller must then not send.</summary>
    public async Task<AuditHandle> BeginAsync(AuditRecord record, CancellationToken cancellationToken) =>
        (await BeginAsync(record, [], cancellationToken)).Handle;

    /// <summary>
    /// Writes the attempt record together with <paramref name="alongside"/> — writes of other rows of the record's own day
    /// partition (<see cref="PartitionFor"/>; their row keys must start with a letter, so audit readers never see them) — as
    /// one entity group transaction: all of them are stored or none is. Returns the handle and the ETags of the
    /// <paramref name="alongside"/> writes in order (null for a delete). Throws <see cref="StorageException"/> when they
    /// were not stored; the caller must then not send.
    /// </summary>
    public async Task<(AuditHandle Handle, IReadOnlyList<string?> Alongside)> BeginAsync(
        AuditRecord record, IReadOnlyList<TableWrite> alongside, CancellationToken cancellationToken)
    {
        var (entity, link) = SealNew(ToEntity(record));
        var (etag, etags) = await InsertSealedAsync(entity, alongside, cancellationToken);
        return (new AuditHandle(record, etag, link), etags);
    }

    /// <summary>Completes an attempt record with its outcome.</summary>
    public async Task CompleteAsync(AuditHandle handle, AuditDecision decision, string reasonCode, int segments, CancellationToken cancellationToken) =>
        await CompleteAsync(handle, decision, reasonCode, segments, [], cancellationToken);

    /// <summary>
    /// Completes an attempt record with its outcome, together with <paramref name="alongside"/> (writes of other rows of
    /// the record's day partition, as for <see cref="BeginAsync(AuditRecord, IReadOnlyList{TableWrite}, CancellationToken)"/>)
    /// in one entity group transaction. Returns the ETags of the <paramref name="alongside"/> writes. When one of them
    /// cannot be applied nothing is, and the store's exception says which (<see cref="StorageException.FailedWriteIndex"/>:
    /// 0 is the record, 1 the first of <paramref name="alongside"/>).
    /// </summary>
    public async Task<IReadOnlyList<string?>> CompleteAsync(
        AuditHandle handle, AuditDecision decision, string reasonCode, int segments, IReadOnlyList<TableWrite> alongside, CancellationToken cancellationToken)
    {
        var completed = handle.Record with
        {
            Stage = AuditStage.Completed,
            Decision = decision,
            ReasonCode = reasonCode,
            Segments = segments,
            CompletedAt = time.GetUtcNow(),
        };

        // The chain link and attempt seal stay as written; only the outcome seal is recomputed.
        var entity = WithSeals(ToEntity(completed), handle.Link);
        try
        {
            if (alongside.Count == 0)
            {
                await store.ReplaceAsync(Table, entity, handle.ETag, cancellationToken);
                return [];
            }

            var etags = await store.SubmitTransactionAsync(Table, [TableWrite.Replace(entity, handle.ETag), .. alongside], cancellationToken);
            return [.. etags.Skip(1)];
        }
        catch (PreconditionFailedException e) when (e.FailedWriteIndex is null or 0)
        {
            // A 412 on the record whose stored outcome seal is the one just computed (it covers the completion time) is
            // Azure.Core's retry of our own landed replace — and, a transaction being all or nothing, of everything
            // written alongside it; anything else is someone else's write.
            if (await StoredIfSealIsOursAsync(entity, AuditSealer.OutcomeSealProperty, cancellationToken) is not null && await StoredAlongsideAsync(alongside, cancellationToken) is { } etags)
            {
                return etags;
            }

            throw;
        }
    }

    /// <summary>Writes a record that is complete from the start: a refusal, where no provider call follows.</summary>
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken) =>
        await RecordAsync(record, [], cancellationToken);

    /// <summary>
    /// <see cref="RecordAsync(AuditRecord, CancellationToken)"/> together with <paramref name="alongside"/> in one entity group
    /// transaction (as for <see cref="BeginAsync(AuditRecord, IReadOnlyList{TableWrite}, CancellationToken)"/>); returns their ETags.
    /// </summary>
    public async Task<IReadOnlyList<string?>> RecordAsync(AuditRecord record, IReadOnlyList<TableWrite> alongside, CancellationToken cancellationToken)
    {
        var (entity, _) = SealNew(ToEntity(record with { Stage = AuditStage.Completed, CompletedAt = record.Time }));
        return (await InsertSealedAsync(entity, alongside, cancellationToken)).Alongside;
    }

    /// <summary>The day partition <paramref name="record"/> is written to: rows written alongside it must be in it.</summary>
    public static string PartitionFor(AuditRecord record) => PartitionOf(record.Time);

    /// <summary>The day partition of the UTC day of <paramref name="at"/>.</summary>
    public static string PartitionOf(DateTimeOffset at) => PartitionOf(DateOnly.FromDateTime(at.UtcDateTime));

    /// <summary>New record id: time-ordered within the day partition, unique across instances.</summary>
    public static string NewId(DateTimeOffset at) => TicksPrefix(at) + "-" + Guid.NewGuid().ToString("N");

    /// <summary>Length of the time prefix of a record id.</summary>
    internal const int TicksPrefixLength = 19;

    /// <summary>The time prefix of the id of a record written at <paramref name="at"/>.</summary>
    internal static string TicksPrefix(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    // A day's partition also holds rows that are not audit records and are written in the same entity group transaction
    // as one (message records, pending markers, watchdog events); their row keys start with a letter. Audit record ids
    // start with their time prefix, so every reader of records asks for the row keys from "0" up to ":" (the character
    // after "9") and never sees the others.
    internal const string RecordRowKeyFrom = "0";
    internal const string RecordRowKeyTo = ":";

    /// <summary>All records of one UTC day, in write order.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        await foreach (var entity in store.QueryAllAsync(Table, PartitionOf(day), RecordRowKeyFrom, RecordRowKeyTo, 1000, cancellationToken))
        {
            records.Add(FromEntity(entity));
        }

        return records;
    }

    /// <summary>
    /// Every stored record of the UTC days <paramref name="first"/> to <paramref name="last"/> exactly as stored (seals and
    /// any property added by hand included), in trail order, read a page at a time as the caller reads on — memory stays
    /// bounded by one page whatever the range (the CLI's export).
    /// </summary>
    public static async IAsyncEnumerable<TableEntity> ReadStoredAsync(
        ITableStore store, DateOnly first, DateOnly last, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            await foreach (var entity in store.QueryAllAsync(Table, PartitionOf(day), RecordRowKeyFrom, RecordRowKeyTo, 1000, cancellationToken))
            {
                yield return entity;
            }
        }
    }

    /// <summary>The partition of one UTC day.</summary>
    public static string PartitionOf(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string NewWriterId() => "w" + Guid.NewGuid().ToString("N");

    private (TableEntity Entity, AuditChainLink Link) SealNew(TableEntity entity)
    {
        lock (_chainLock)
        {
            var link = _heads.TryGetValue(entity.PartitionKey, out var head)
                ? new AuditChainLink(_writer, head.Sequence + 1, head.Seal)
                : new AuditChainLink(_writer, 1, "");
            link = link with { Seal = sealer.AttemptSeal(entity.PartitionKey, entity.RowKey, link, entity.Properties) };
            _heads[entity.PartitionKey] = link;
            if (_heads.Count > ChainDaysKept)
            {
                _heads.Remove(_heads.Keys.Min(StringComparer.Ordinal)!);
            }

            return (WithSeals(entity, link), link);
        }
    }

    private async Task<(string ETag, IReadOnlyList<string?> Alongside)> InsertSealedAsync(
        TableEntity entity, IReadOnlyList<TableWrite> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        try
        {
            try
            {
                if (alongside.Count == 0)
                {
                    return (await store.InsertAsync(Table, entity, cancellationToken), []);
                }

                var etags = await store.SubmitTransactionAsync(Table, [TableWrite.Insert(entity), .. alongside], cancellationToken);
                return (etags[0]!, [.. etags.Skip(1)]);
            }
            catch (EntityAlreadyExistsException e) when (e.FailedWriteIndex is null or 0)
            {
                // The row key is fresh, so a 409 whose stored seal is ours is Azure.Core's retry of our own landed insert —
                // and, a transaction being all or nothing, of everything written alongside it.
                if ((await StoredIfSealIsOursAsync(entity, AuditSealer.SealProperty, cancellationToken))?.ETag is { } etag
                    && await StoredAlongsideAsync(alongside, cancellationToken) is { } etags)
                {
                    return (etag, etags);
                }

                throw;
            }
        }
        catch (Exception)
        {
            // The record may or may not be stored (a timeout can hide a write). Starting fresh chains means neither
            // case leaves a gap that would read as a deletion: the old chains simply end here. Only records of this
            // writer sealed concurrently with this one can still show as a gap; AuditVerifier reports them as such.
            lock (_chainLock)
            {
                _writer = NewWriterId();
                _heads.Clear();
            }

            throw;
        }
    }

    /// <summary>
    /// The current ETags of the rows a landed transaction wrote alongside our record (null for a delete), or null when one
    /// that should be there is not: then the 409 is not the retry it looked like, and the caller throws.
    /// </summary>
    private async Task<IReadOnlyList<string?>?> StoredAlongsideAsync(IReadOnlyList<TableWrite> alongside, CancellationToken cancellationToken)
    {
        var etags = new string?[alongside.Count];
        for (var i = 0; i < alongside.Count; i++)
        {
            var write = alongside[i];
            if (write.Kind == TableWriteKind.Delete)
            {
                continue;
            }

            if (await store.GetAsync(Table, write.Entity.PartitionKey, write.Entity.RowKey, cancellationToken) is not { ETag: { } etag })
            {
                return null;
            }

            etags[i] = etag;
        }

        return etags;
    }

    /// <summary>
    /// The stored row of <paramref name="entity"/> when its <paramref name="sealProperty"/> is the one we computed (our own
    /// write landed, its answer lost), else null.
    /// </summary>
    private async Task<TableEntity?> StoredIfSealIsOursAsync(TableEntity entity, string sealProperty, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(Table, entity.PartitionKey, entity.RowKey, cancellationToken);
        var ours = entity.Get<string>(sealProperty)!;
        return stored?.Get<string>(sealProperty) is { } seal && AuditSealer.Matches(seal, ours) ? stored : null;
    }

    private TableEntity WithSeals(TableEntity entity, AuditChainLink link)
    {
        var properties = new Dictionary<string, object>(entity.Properties)
        {
            [AuditSealer.WriterProperty] = link.Writer,
            [AuditSealer.SequenceProperty] = link.Sequence,
            [AuditSealer.PreviousProperty] = link.Previous,
            [AuditSealer.SealProperty] = link.Seal,
        };
        properties[AuditSealer.OutcomeSealProperty] = sealer.OutcomeSeal(link.Seal, properties);
        return entity with { Properties = properties };
    }


    private static TableEntity ToEntity(AuditRecord r)
    {
        var properties = new Dictionary<string, object>
        {
            ["Time"] = r.Time,
            ["CallerId"] = r.CallerId,
            ["Tool"] = r.Tool,
            ["BodyHash"] = r.BodyHash,
            ["BodyLength"] = r.BodyLength,
            ["Segments"] = r.Segments,
            ["Stage"] = r.Stage.ToString(),
            ["Decision"] = r.Decision.ToString(),
            ["ReasonCode"] = r.ReasonCode,
            ["PolicyVersion"] = r.PolicyVersion,
        };
        if (r.RecipientRef is not null)
        {
            properties["RecipientRef"] = r.RecipientRef;
        }

        if (r.MessageId is not null)
        {
            properties["MessageId"] = r.MessageId;
        }

        if (r.CompletedAt is { } completedAt)
        {
            properties["CompletedAt"] = completedAt;
        }

        return new TableEntity(PartitionOf(r.Time), r.Id, properties);
    }

    private static AuditRecord FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Time = e.Get<DateTimeOffset>("Time"),
        CallerId = e.Get<string>("CallerId") ?? "",
        Tool = e.Get<string>("Tool") ?? "",
        RecipientRef = e.Get<string>("RecipientRef"),
        BodyHash = e.Get<string>("BodyHash") ?? "",
        BodyLength = e.Get<int>("BodyLength"),
        Segments = e.Get<int>("Segments"),
        Stage = Enum.Parse<AuditStage>(e.Get<string>("Stage") ?? nameof(AuditStage.Attempt)),
        Decision = Enum.Parse<AuditDecision>(e.Get<string>("Decision") ?? nameof(AuditDecision.Pending)),
        ReasonCode = e.Get<string>("ReasonCode") ?? "",
        MessageId = e.Get<string>("MessageId"),
        CompletedAt = e.Properties.ContainsKey("CompletedAt") ? e.Get<DateTimeOffset>("CompletedAt") : null,
        PolicyVersion = e.Get<string>("PolicyVersion") ?? "",
    };
}
