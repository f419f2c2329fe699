using Microsoft.Extensions.Logging;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Sending;

/// <summary>
/// A send refused before the send walk ran — for its arguments, its grant, or by the client confirmation — recorded
/// where the walk records its own refusals: one audit record (every call leaves exactly one), the watchdog's traffic
/// counters (so the refusal-spike rule sees a model probing whichever guard stops it) and the refusals metric. Also the
/// one record of a call answered with the confirmation question, which refuses nothing.
/// </summary>
public sealed class RefusalBeforeWalk(
    AuditLog audit,
    Pseudonymizer pseudonymizer,
    PolicyEngine policy,
    TrafficCounters traffic,
    SmsMcpMetrics metrics,
    TimeProvider time,
    ILogger<RefusalBeforeWalk> logger)
{
    /// <summary>A call refused for its arguments or its grant: nothing from the arguments is stored (no recipient pseudonym, the digest and length of an empty body).</summary>
    public Task RecordAsync(CallerIdentity caller, string tool, string reasonCode) =>
        RecordAsync(caller, tool, reasonCode, recipient: null, body: "", segments: 0);

    /// <summary>A send refused once its request was understood: the same pseudonyms the walk would have stored, so an operator sees who tried to text whom.</summary>
    public async Task RecordAsync(CallerIdentity caller, string tool, string reasonCode, PhoneNumber? recipient, string body, int segments)
    {
        var now = time.GetUtcNow();
        var record = NewRecord(caller, tool, recipient, body, segments, now) with { Decision = AuditDecision.Denied, ReasonCode = reasonCode };
        // The record and its watchdog event in one transaction (both in the day partition of now).
        var (auditError, eventError) = await traffic.WriteWithAuditAsync(AuditLog.PartitionFor(record), traffic.RefusalEvent(caller.Id, reasonCode, now),
            alongside => audit.RecordAsync(record, alongside, CancellationToken.None));
        LogFailure(auditError, record);
        if (eventError is not null)
        {
            logger.LogError(eventError, "The watchdog event of a refusal ({ReasonCode}) for caller {CallerId} could not be written.", reasonCode, caller.Id);
        }

        metrics.RecordRefusal(caller.Id, reasonCode);
    }

    /// <summary>
    /// A send answered with the client confirmation's question: undecided, so its record is pending
    /// (<see cref="ReasonCodes.ConfirmationRequested"/>) and nothing counts as a refusal. The retried call that carries the
    /// answer leaves its own record.
    /// </summary>
    public Task RecordQuestionAsync(CallerIdentity caller, string tool, PhoneNumber recipient, string body, int segments) =>
        WriteAsync(NewRecord(caller, tool, recipient, body, segments, time.GetUtcNow())
            with { Decision = AuditDecision.Pending, ReasonCode = ReasonCodes.ConfirmationRequested });

    private AuditRecord NewRecord(CallerIdentity caller, string tool, PhoneNumber? recipient, string body, int segments, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = caller.Id,
            Tool = tool,
            RecipientRef = recipient is null ? null : pseudonymizer.Recipient(recipient.E164),
            BodyHash = pseudonymizer.Body(body),
            BodyLength = body.Length,
            Segments = segments,
            Stage = AuditStage.Attempt,
            Decision = AuditDecision.Pending,
            ReasonCode = "",
            PolicyVersion = policy.Version,
        };
    }

    /// <summary>
    /// Never cancelled: the answer is decided, and it is recorded even when the caller has hung up. A storage failure is
    /// logged, not thrown: nothing is sent on this path, so the answer stands either way.
    /// </summary>
    private async Task WriteAsync(AuditRecord record)
    {
        try
        {
            await audit.RecordAsync(record, CancellationToken.None);
        }
        catch (StorageException e)
        {
            LogFailure(e, record);
        }
    }

    private void LogFailure(StorageException? error, AuditRecord record)
    {
        if (error is not null)
        {
            logger.LogError(error, "Audit record ({ReasonCode}) for caller {CallerId} could not be written.", record.ReasonCode, record.CallerId);
        }
    }
}
