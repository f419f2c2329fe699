using SmsMcp.Core.Delivery;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Twilio's view of a message (a status callback's fields, or a fetched Message resource) as a <see cref="DeliveryReport"/>.</summary>
public static class TwilioDeliveryReports
{
    public static DeliveryReport From(string messageId, string messageSid, string? twilioStatus, int? errorCode, string? to)
    {
        var reason = errorCode is null ? null : TwilioErrorCodes.ToReasonCode(errorCode);
        return new DeliveryReport(
            messageId,
            messageSid,
            TwilioStatusMap.ToMessageStatus(twilioStatus),
            errorCode,
            reason == Core.Vocabulary.ReasonCodes.ProviderFailed ? null : reason,
            errorCode == TwilioErrorCodes.OptedOut,
            to);
    }
}
