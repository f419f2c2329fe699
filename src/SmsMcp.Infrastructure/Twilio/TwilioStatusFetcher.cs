using Microsoft.Extensions.Logging;
using SmsMcp.Core.Delivery;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Reconciliation's question to Twilio: fetch the Message resource by its SID.</summary>
public sealed class TwilioStatusFetcher(TwilioApi client, ILogger<TwilioStatusFetcher> logger) : IMessageStatusFetcher
{
    public async Task<DeliveryReport?> FetchAsync(string messageId, string providerMessageId, CancellationToken cancellationToken)
    {
        TwilioMessage message;
        try
        {
            message = await client.FetchMessageAsync(providerMessageId, cancellationToken);
        }
        catch (TwilioRequestException e)
        {
            // The client has logged the failure (without URL, number or credential); the next run tries again.
            logger.LogWarning("Reconciliation could not fetch message {MessageId} from Twilio ({ReasonCode}).", messageId, e.ReasonCode);
            return null;
        }

        if (!string.Equals(message.Sid, providerMessageId, StringComparison.Ordinal))
        {
            logger.LogWarning("Twilio answered the fetch of message {MessageId} with another message; ignored.", messageId);
            return null;
        }

        return TwilioDeliveryReports.From(messageId, message.Sid, message.Status, message.ErrorCode, message.To);
    }
}
