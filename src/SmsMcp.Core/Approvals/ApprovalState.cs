namespace SmsMcp.Core.Approvals;

/// <summary>Where a first-contact approval request stands. Only <see cref="Pending"/> holds the message.</summary>
public enum ApprovalState
{
    Pending,
    Approved,
    Denied,
    Expired,
}
