namespace SmsMcp.Core.Approvals;

/// <summary>What an operator's approve or deny did.</summary>
public enum ApprovalResultKind
{
    /// <summary>Resolved as asked (for an approval: the send ran; see <see cref="ApprovalResult.Send"/>).</summary>
    Done,

    /// <summary>No request with this id.</summary>
    NotFound,

    /// <summary>Already approved, denied or expired (possibly by someone else a moment ago); nothing changed.</summary>
    AlreadyResolved,

    /// <summary>Past its lifetime: now marked expired; nothing was sent.</summary>
    Expired,
}
