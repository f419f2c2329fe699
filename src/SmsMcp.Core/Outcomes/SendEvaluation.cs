using SmsMcp.Core.Content;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Outcomes;

/// <summary>
/// The decision for a request without sending anything: what <c>preview_sms</c> shows and what
/// <c>send_sms</c> acts on. <see cref="Recipient"/> and <see cref="Segmentation"/> are null when the
/// input was too malformed to get that far.
/// </summary>
public sealed record SendEvaluation(ResolvedRecipient? Recipient, SmsSegmentation? Segmentation, Refusal? Refusal)
{
    public bool Allowed => Refusal is null;
}
