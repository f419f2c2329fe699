using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Audit;

/// <summary>
/// The append-only audit trail on the table contract, partitioned by UTC day. A send writes its record
/// before the provider is called (<see cref="BeginAsync"/>) and completes the same record afterwards, so a
/// crash in between leaves a visible "attempt" rather than an unrecorded send.
/// </summary>
public sealed class AuditLog(ITableStore store, TimeProvider time)
{
    public const string Table = "Audit";

    /// <summary>Writes the attempt record. Throws <see cref="StorageException"/> when it cannot; the caller must then not send.</summary>
    public async Task<AuditHandle> BeginAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var entity = ToEntity(record);
        var etag = await store.InsertAsync(Table, entity, cancellationToken);
        return new AuditHandle(record, etag);
    }

    /// <summary>Completes an attempt record with its outcome.</summary>
    public async Task CompleteAsync(AuditHandle handle, AuditDecision decision, string reasonCode, int segments, CancellationToken cancellationToken)
    {
        var completed = handle.Record with
        {
            Stage = AuditStage.Completed,
            Decision = decision,
            ReasonCode = reasonCode,
            Segments = segments,
            CompletedAt = time.GetUtcNow(),
        };
        await store.ReplaceAsync(Table, ToEntity(completed), handle.ETag, cancellationToken);
    }

    /// <summary>Writes a record that is complete from the start: a refusal, where no provider call follows.</summary>
    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken) =>
        store.InsertAsync(Table, ToEntity(record with { Stage = AuditStage.Completed, CompletedAt = record.Time }), cancellationToken);

    /// <summary>New record id: time-ordered within the day partition, unique across instances.</summary>
    public static string NewId(DateTimeOffset at) =>
        at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");

    /// <summary>All records of one UTC day, in write order.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        string? token = null;
        do
        {
            var page = await store.QueryPartitionAsync(Table, PartitionOf(day), null, null, 1000, token, cancellationToken);
            records.AddRange(page.Entities.Select(FromEntity));
            token = page.ContinuationToken;
        }
        while (token is not null);

        return records;
    }

    private static string PartitionOf(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

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

        return new TableEntity(PartitionOf(DateOnly.FromDateTime(r.Time.UtcDateTime)), r.Id, properties);
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
