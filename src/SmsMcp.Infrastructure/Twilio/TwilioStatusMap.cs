using SmsMcp.Core.Messages;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Twilio's message statuses in our vocabulary.</summary>
public static class TwilioStatusMap
{
    public static MessageStatus ToMessageStatus(string? twilioStatus) => twilioStatus switch
    {
        "accepted" or "scheduled" or "queued" => MessageStatus.Queued,
        "sending" or "sent" => MessageStatus.Sent,
        "delivered" or "read" => MessageStatus.Delivered,
        "undelivered" => MessageStatus.Undelivered,
        "failed" or "canceled" => MessageStatus.Failed,
        _ => MessageStatus.Unknown,
    };
}
