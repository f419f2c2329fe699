namespace SmsMcp.Core.Messages;

/// <summary>Lifecycle of a message, named after Twilio's statuses where they overlap.</summary>
public enum MessageStatus
{
    Queued,
    Sent,
    Delivered,
    Undelivered,
    Failed,

    /// <summary>The provider may or may not have accepted it; to be reconciled, never re-sent blindly.</summary>
    Unknown,
}
