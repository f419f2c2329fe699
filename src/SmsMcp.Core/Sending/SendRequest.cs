using SmsMcp.Core.Callers;

namespace SmsMcp.Core.Sending;

/// <summary>
/// What a caller asked to send. <paramref name="To"/> is an E.164 number or an alias. <paramref name="ApprovedRequestId"/>
/// is set only by <c>ApprovalService</c> for a first-contact request an operator approved: it skips the approval
/// check (every other check runs again) and becomes the message id.
/// </summary>
public sealed record SendRequest(CallerIdentity Caller, string? To, string? Body, string? IdempotencyKey = null, string? ApprovedRequestId = null)
{
    // The generated ToString would print the raw number (or alias) and the body: leave both out.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Caller = {Caller}, IdempotencyKey = {IdempotencyKey}, ApprovedRequestId = {ApprovedRequestId}");
        return true;
    }
}
