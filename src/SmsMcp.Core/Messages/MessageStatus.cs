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

    /// <summary>First contact: waiting for an operator; nothing sent yet.</summary>
    PendingApproval,

    /// <summary>An operator denied the first-contact request; nothing was sent.</summary>
    Denied,

    /// <summary>Nobody approved the first-contact request in time; nothing was sent.</summary>
    Expired,
}
