using SmsMcp.Core.Outcomes;

namespace SmsMcp.Core.Approvals;

/// <summary>
/// Sends a first-contact request an operator approved, running every check again (kill switch, policy as it is now,
/// suppression list, dry run) and writing the send's own audit record. The send pipeline implements it; approvals own
/// the contract so that they stay below the pipeline that composes them.
/// </summary>
public interface IApprovedSender
{
    /// <summary>Sends <paramref name="request"/> under its request id (the message id the caller was given), skipping only the approval check.</summary>
    Task<SendOutcome> SendApprovedAsync(PendingApproval request, CancellationToken cancellationToken);
}
