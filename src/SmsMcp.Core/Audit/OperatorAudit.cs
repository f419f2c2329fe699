namespace SmsMcp.Core.Audit;

/// <summary>
/// The audit record of an operator's change (a runtime control flipped, an approval decided): who, which tool, what,
/// and on what (<c>subject</c>, e.g. "global", "caller:x" or a request id, in the message id field). It
/// carries no recipient and no body.
/// </summary>
public static class OperatorAudit
{
    public static AuditRecord Change(DateTimeOffset at, string changedBy, string tool, string reasonCode, string subject) => new()
    {
        Id = AuditLog.NewId(at),
        Time = at,
        CallerId = changedBy,
        Tool = tool,
        RecipientRef = null,
        BodyHash = "",
        BodyLength = 0,
        Stage = AuditStage.Completed,
        Decision = AuditDecision.Accepted,
        ReasonCode = reasonCode,
        MessageId = subject,
    };
}
