using SmsMcp.Core.Callers;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// The one record of a <c>send_sms</c> that a confirmation decided against before the send walk ran (declined,
/// unavailable, invalid, expired, replayed state), or that was answered with the question: the recipient and segments
/// as the policy reads the request, so an operator sees who tried to text whom, and why it did not go out.
/// </summary>
public sealed class ConfirmationAudit(PolicyEngine policy, RefusalBeforeWalk refusals)
{
    public Task RecordRefusalAsync(CallerIdentity caller, string? to, string? body, Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(refusal);
        var evaluation = policy.Evaluate(caller, to, body);
        return refusals.RecordAsync(caller, "send_sms", refusal.Code, evaluation.Recipient?.Number, body ?? "", evaluation.Segmentation?.Segments ?? 0);
    }

    /// <summary>The record of a call answered with the question: <paramref name="evaluation"/> is what the preview found (allowed).</summary>
    public Task RecordQuestionAsync(CallerIdentity caller, SendEvaluation evaluation, string body)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return refusals.RecordQuestionAsync(caller, "send_sms", evaluation.Recipient!.Number, body, evaluation.Segmentation!.Segments);
    }
}
