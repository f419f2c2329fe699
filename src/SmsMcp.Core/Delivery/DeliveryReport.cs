using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Delivery;

/// <summary>
/// What the carrier says about one of our messages, from a signed status callback or a fetch by its id.
/// </summary>
/// <param name="MessageId">Our message id (from the callback's signed URL, or the record being reconciled).</param>
/// <param name="ProviderMessageId">The carrier's id for the message (Twilio's <c>MessageSid</c>).</param>
/// <param name="Status">The carrier's status in our vocabulary; <see cref="MessageStatus.Unknown"/> when it used a word we do not know.</param>
/// <param name="ErrorCode">The carrier's error code, if any.</param>
/// <param name="ErrorReasonCode">Our reason code for <paramref name="ErrorCode"/> when it has a specific one (e.g. <c>recipient_opted_out</c>), else null.</param>
/// <param name="RecipientOptedOut">The carrier says the recipient opted out (Twilio 21610): the number goes on the suppression list.</param>
/// <param name="To">The recipient as the carrier reports it (raw; never logged or stored), needed only for <paramref name="RecipientOptedOut"/>.</param>
public sealed record DeliveryReport(
    string MessageId,
    string ProviderMessageId,
    MessageStatus Status,
    int? ErrorCode,
    string? ErrorReasonCode,
    bool RecipientOptedOut,
    string? To)
{
    // The generated ToString would print the raw number: leave it out, so a report that reaches a log stays clean.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"MessageId = {MessageId}, ProviderMessageId = {ProviderMessageId}, Status = {Status}, ErrorCode = {ErrorCode}, ErrorReasonCode = {ErrorReasonCode}, RecipientOptedOut = {RecipientOptedOut}");
        return true;
    }
}
