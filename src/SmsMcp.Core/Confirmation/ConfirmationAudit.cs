using Microsoft.Extensions.Logging;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// The one audit record of a <c>send_sms</c> that a confirmation decided against before the send walk ran (declined,
/// unavailable, invalid, expired, replayed state): the same pseudonyms the walk would have stored, so an operator sees
/// who tried to text whom, and why it did not go out. Counted for the watchdog and the metrics as the walk would.
/// </summary>
public sealed class ConfirmationAudit(AuditLog audit, Pseudonymizer pseudonymizer, PolicyEngine policy, RefusalBeforeWalk counts, TimeProvider time, ILogger<ConfirmationAudit> logger)
{
    public async Task RecordRefusalAsync(CallerIdentity caller, string? to, string? body, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(refusal);
        var evaluation = policy.Evaluate(caller, to, body);
        var now = time.GetUtcNow();
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = caller.Id,
            Tool = "send_sms",
            RecipientRef = evaluation.Recipient is { } r ? pseudonymizer.Recipient(r.Number.E164) : null,
            BodyHash = pseudonymizer.Body(body ?? ""),
            BodyLength = (body ?? "").Length,
            Segments = evaluation.Segmentation?.Segments ?? 0,
            Stage = AuditStage.Attempt,
            Decision = AuditDecision.Denied,
            ReasonCode = refusal.Code,
            PolicyVersion = policy.Version,
        };
        try
        {
            // Never cancelled: the refusal is decided, and its record is written even when the caller has hung up.
            await audit.RecordAsync(record, CancellationToken.None);
        }
        catch (StorageException e)
        {
            // Nothing is sent on this path, so the refusal stands; the gap in the trail is what gets logged.
            logger.LogError(e, "Audit record ({ReasonCode}) for caller {CallerId} could not be written.", refusal.Code, caller.Id);
        }

        await counts.CountAsync(caller, refusal.Code);
    }
}
