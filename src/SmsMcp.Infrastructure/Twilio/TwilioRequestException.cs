namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// A Twilio request that did not succeed. <see cref="MayHaveReachedTwilio"/> separates "certainly nothing happened"
/// (an error answer, a connection never made) from "no answer to a request that may have been carried out"
/// (timeout, 5xx, reset) — the latter must never be repeated for a send. The message carries the operation, HTTP
/// status and Twilio error code only: never a URL (Lookup URLs hold the number), credentials or Twilio's error text.
/// </summary>
public sealed class TwilioRequestException(string message, string reasonCode, bool mayHaveReachedTwilio) : Exception(message)
{
    /// <summary>Our reason code (<see cref="TwilioErrorCodes.ToReasonCode"/>).</summary>
    public string ReasonCode { get; } = reasonCode;

    public bool MayHaveReachedTwilio { get; } = mayHaveReachedTwilio;
}
