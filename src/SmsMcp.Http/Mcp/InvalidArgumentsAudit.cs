using SmsMcp.Core.Storage;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Sending;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The one audit record of a <c>send_sms</c> call refused for its arguments before the send walk starts (an extra
/// <c>from</c> or <c>media_url</c>, <c>to</c> as an array, <c>to</c> missing...): probing for a sender or a callback URL
/// is what an operator wants to see. Nothing from the arguments is stored: no recipient pseudonym, and the digest
/// and length of an empty body. Also records a send refused before the walk for the caller's grant
/// (<see cref="Auth.ToolGrants.InsufficientScopeCode"/>). Counted for the watchdog and the metrics as the walk would.
/// </summary>
public sealed class InvalidArgumentsAudit(AuditLog audit, Pseudonymizer pseudonymizer, PolicyEngine policy, RefusalBeforeWalk counts, TimeProvider time, ILogger<InvalidArgumentsAudit> logger)
{
    public async Task RecordAsync(CallerIdentity caller, string tool, string reasonCode = ToolResults.InvalidArgumentsCode)
    {
        var now = time.GetUtcNow();
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = caller.Id,
            Tool = tool,
            RecipientRef = null,
            BodyHash = pseudonymizer.Body(""),
            BodyLength = 0,
            Stage = AuditStage.Attempt,
            Decision = AuditDecision.Denied,
            ReasonCode = reasonCode,
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
            logger.LogError(e, "Audit record ({ReasonCode}) for caller {CallerId} could not be written.", reasonCode, caller.Id);
        }

        await counts.CountAsync(caller, reasonCode);
    }
}
