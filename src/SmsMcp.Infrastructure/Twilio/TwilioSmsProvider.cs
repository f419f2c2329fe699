using Microsoft.Extensions.Logging;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Providers;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// Sends through Twilio's Messages API. A message Twilio certainly did not create becomes an
/// <see cref="SmsProviderException"/> with our reason code; a request that may have reached Twilio without an
/// answer becomes <see cref="ProviderSendResult.Unknown"/>, so it is reconciled rather than sent twice.
/// </summary>
public sealed class TwilioSmsProvider(TwilioApi client, ILogger<TwilioSmsProvider> logger) : ISmsProvider
{
    public string Name => "twilio";

    public async Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
    {
        TwilioMessage created;
        try
        {
            created = await client.CreateMessageAsync(message.To, message.Body, message.MessageId, cancellationToken);
        }
        catch (TwilioRequestException e) when (e.MayHaveReachedTwilio)
        {
            logger.LogWarning("Twilio may have message {MessageId} but did not confirm it ({Error}); it is recorded as unknown and not re-sent.",
                message.MessageId, e.Message);
            return ProviderSendResult.Unknown;
        }
        catch (TwilioRequestException e)
        {
            throw new SmsProviderException($"Twilio did not take the message: {e.Message}", e.ReasonCode, e);
        }

        // A create can fail synchronously with the message already in a final state (e.g. pumping protection).
        var status = TwilioStatusMap.ToMessageStatus(created.Status);
        if (status is MessageStatus.Failed && created.ErrorCode is { } code)
        {
            throw new SmsProviderException($"Twilio created the message as failed with error {code}.", TwilioErrorCodes.ToReasonCode(code));
        }

        return new ProviderSendResult(status == MessageStatus.Unknown ? MessageStatus.Queued : status, created.Sid);
    }
}
