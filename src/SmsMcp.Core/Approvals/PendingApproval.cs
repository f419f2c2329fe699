namespace SmsMcp.Core.Approvals;

/// <summary>
/// A send waiting for an operator. <see cref="RequestId"/> is also the message id the caller was given.
/// <see cref="To"/> is what the caller passed (normally an alias; re-resolved against the policy on approval) and
/// <see cref="Body"/> the text; both are erased from storage as soon as the request is resolved.
/// </summary>
public sealed record PendingApproval(
    string RequestId,
    string CallerId,
    string To,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    ApprovalState State,
    string ETag = "")
{
    // The generated ToString would print the raw number (or alias) and the body: leave both out.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"RequestId = {RequestId}, CallerId = {CallerId}, CreatedAt = {CreatedAt:O}, ExpiresAt = {ExpiresAt:O}, State = {State}, ETag = {ETag}");
        return true;
    }
}
