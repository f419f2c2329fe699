using SmsMcp.Core.Outcomes;


namespace SmsMcp.Core.Approvals;

/// <summary>The answer to an approve or deny: what happened, the request's state now, and for an approval the send's outcome.</summary>
public sealed record ApprovalResult(ApprovalResultKind Kind, ApprovalState? State, SendOutcome? Send = null);
