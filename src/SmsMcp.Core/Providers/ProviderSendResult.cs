using SmsMcp.Core.Messages;

namespace SmsMcp.Core.Providers;

/// <summary>
/// What the carrier said when it took the message. <see cref="MessageStatus.Unknown"/> with no provider id means
/// the request may have reached the carrier but no answer came back (timeout, 5xx, reset): the pipeline records
/// it as unknown, never re-sends it, and leaves it to reconciliation.
/// </summary>
public sealed record ProviderSendResult(MessageStatus Status, string? ProviderMessageId)
{
    /// <summary>The request may have been delivered to the carrier; nobody knows whether it was taken.</summary>
    public static ProviderSendResult Unknown { get; } = new(MessageStatus.Unknown, null);
}
