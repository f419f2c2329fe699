using SmsMcp.Core.Callers;

namespace SmsMcp.Core.Sending;

/// <summary>
/// What a caller asked to send. <paramref name="To"/> is an E.164 number or an alias. <paramref name="ApprovedRequestId"/>
/// is set only by <c>ApprovalService</c> for a first-contact request an operator approved: it skips the approval
/// check (every other check runs again) and becomes the message id. <paramref name="RequireApproval"/> holds the send
/// for an operator whatever the profile's approval mode and the contact history (a confirming profile's fallback for a
/// client that cannot ask its user). <paramref name="ReplayOnly"/> lets the walk answer only with the first result of
/// <paramref name="IdempotencyKey"/>: if the key turns out to be free after all, nothing is sent (a confirming profile's
/// repeat of a send its user already confirmed, which is not asked again).
/// </summary>
public sealed record SendRequest(CallerIdentity Caller, string? To, string? Body, string? IdempotencyKey = null, string? ApprovedRequestId = null, bool RequireApproval = false, bool ReplayOnly = false)
{
    // The generated ToString would print the raw number (or alias) and the body: leave both out.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Caller = {Caller}, IdempotencyKey = {IdempotencyKey}, ApprovedRequestId = {ApprovedRequestId}, RequireApproval = {RequireApproval}, ReplayOnly = {ReplayOnly}");
        return true;
    }
}
