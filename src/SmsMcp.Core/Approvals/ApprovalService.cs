using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Approvals;

/// <summary>
/// An operator approves or denies a first-contact request. The decision is audited first (a decision that cannot be
/// audited is not made), then the request is resolved with its ETag — which erases the stored message and lets only
/// one resolver win — and an approval sends through <see cref="IApprovedSender"/> (the send pipeline), which runs every check again (kill
/// switch, policy as it is now, suppression list, dry run) and writes the send's own audit record.
/// </summary>
public sealed class ApprovalService(
    ApprovalStore approvals,
    MessageStore messages,
    IApprovedSender sender,
    AuditLog audit,
    IOptions<ApprovalOptions> options,
    TimeProvider time,
    ILogger<ApprovalService> logger)
{
    /// <summary>Most requests one listing returns.</summary>
    public const int MaxListed = 100;
    /// <summary>Tool name of the audit records operators' decisions write.</summary>
    public const string Tool = "admin:approval";

    public const string Approved = "approval_granted";
    public const string Denied = "approval_denied";
    public const string ExpiredCode = "approval_expired";

    /// <summary>Requests still waiting and not yet expired, oldest first (at most <see cref="MaxListed"/>).</summary>
    public async Task<IReadOnlyList<PendingApproval>> ListPendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = await approvals.ListPendingAsync(now - options.Value.Lifetime, MaxListed, cancellationToken);
        return [.. pending.Where(r => r.ExpiresAt > now)];
    }

    /// <summary>One request, or null. While pending it carries the text the operator is asked to approve.</summary>
    public Task<PendingApproval?> GetAsync(string requestId, CancellationToken cancellationToken) => approvals.GetAsync(requestId, cancellationToken);

    /// <summary>Approves and sends. Throws <see cref="StorageException"/> when the store or audit cannot answer (then nothing was sent).</summary>
    public Task<ApprovalResult> ApproveAsync(string requestId, string changedBy, CancellationToken cancellationToken) =>
        ResolveAsync(requestId, changedBy, approve: true, cancellationToken);

    /// <summary>Denies: nothing is sent, the caller sees <c>denied</c>. Throws <see cref="StorageException"/> like <see cref="ApproveAsync"/>.</summary>
    public Task<ApprovalResult> DenyAsync(string requestId, string changedBy, CancellationToken cancellationToken) =>
        ResolveAsync(requestId, changedBy, approve: false, cancellationToken);

    /// <summary>
    /// Resolves every request whose lifetime ended with no decision as an operator's late decision would: audited as
    /// <see cref="ExpiredCode"/> by <see cref="Actors.ApprovalExpiry"/>, its text erased, the caller's message status
    /// <c>expired</c>. Reads the requests from the first one the previous run left pending on. Returns how many it expired. Throws
    /// <see cref="StorageException"/> when the store cannot answer (what was resolved stays resolved; the next run goes on).
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = await approvals.GetExpiryMarkAsync(cancellationToken);
        string? firstStillRunning = null;
        string? last = null;
        var expired = 0;
        await foreach (var request in approvals.ListFromAsync(from, cancellationToken))
        {
            last = request.RequestId;
            if (request.State != ApprovalState.Pending)
            {
                continue;
            }

            if (request.ExpiresAt > now)
            {
                firstStillRunning ??= request.RequestId;
                continue;
            }

            if ((await ResolveAsync(request, Actors.ApprovalExpiry, approve: false, cancellationToken)).Kind == ApprovalResultKind.Expired)
            {
                expired++;
            }
        }

        // The next run starts at the first request still within its lifetime, or after everything read: what it reads is
        // at most a lifetime's worth of requests, however long the table grows.
        if ((firstStillRunning ?? last) is { } mark && mark != from)
        {
            await approvals.SetExpiryMarkAsync(mark, cancellationToken);
        }

        return expired;
    }

    private async Task<ApprovalResult> ResolveAsync(string requestId, string changedBy, bool approve, CancellationToken cancellationToken) =>
        await approvals.GetAsync(requestId, cancellationToken) is { } request
            ? await ResolveAsync(request, changedBy, approve, cancellationToken)
            : new ApprovalResult(ApprovalResultKind.NotFound, null);

    /// <summary>Resolves <paramref name="request"/> as read (its ETag guards the resolution).</summary>
    private async Task<ApprovalResult> ResolveAsync(PendingApproval request, string changedBy, bool approve, CancellationToken cancellationToken)
    {
        if (request.State != ApprovalState.Pending)
        {
            return new ApprovalResult(ApprovalResultKind.AlreadyResolved, request.State);
        }

        var expired = time.GetUtcNow() >= request.ExpiresAt;
        var state = expired ? ApprovalState.Expired : approve ? ApprovalState.Approved : ApprovalState.Denied;
        // Two tables and two partitions (Audit by today and by the message id's day, Approvals in "request"): no transaction spans them, so the order
        // carries the guarantees: audited before resolved, and the ETag-guarded resolve picks the one winner.
        await AuditAsync(request, changedBy, expired ? ExpiredCode : approve ? Approved : Denied, cancellationToken);
        try
        {
            await approvals.ResolveAsync(request, state, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            return new ApprovalResult(ApprovalResultKind.AlreadyResolved, (await approvals.GetAsync(request.RequestId, cancellationToken))?.State);
        }

        if (state != ApprovalState.Approved)
        {
            await SetStatusAsync(request, state == ApprovalState.Expired ? MessageStatus.Expired : MessageStatus.Denied, cancellationToken);
            return new ApprovalResult(expired ? ApprovalResultKind.Expired : ApprovalResultKind.Done, state);
        }

        // The request is claimed and its text erased from storage; from here the text lives only in this call.
        // Resolution is final, so the caller's operation must not cut the send short.
        var outcome = await sender.SendApprovedAsync(request, CancellationToken.None);
        if (outcome.Refusal is not null || outcome.Result?.DryRun == true)
        {
            // Refused on the second look (kill switch, policy changed, opted out) or dry run: nothing went out.
            await SetStatusAsync(request, MessageStatus.Failed, CancellationToken.None);
        }

        return new ApprovalResult(ApprovalResultKind.Done, state, outcome);
    }

    private Task AuditAsync(PendingApproval request, string changedBy, string reasonCode, CancellationToken cancellationToken) =>
        audit.RecordAsync(OperatorAudit.Change(time.GetUtcNow(), changedBy, Tool, reasonCode, request.RequestId), cancellationToken);

    private async Task SetStatusAsync(PendingApproval request, MessageStatus status, CancellationToken cancellationToken)
    {
        try
        {
            if (await messages.GetAsync(request.CallerId, request.RequestId, cancellationToken) is { } message)
            {
                await messages.UpsertAsync(message with { Status = status, UpdatedAt = time.GetUtcNow() }, cancellationToken);
            }
        }
        catch (StorageException e)
        {
            // The request itself is resolved; only the status the caller sees lags.
            logger.LogError(e, "Status of message {MessageId} could not be set to {Status}.", request.RequestId, status);
        }
    }
}
