using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Core.Providers;

/// <summary>
/// The provider certainly did not take the message. <see cref="ReasonCode"/> says why in our stable vocabulary
/// (<see cref="ReasonCodes"/>; default <c>provider_failed</c>). The message text must not carry numbers, bodies
/// or secrets: it is logged.
/// </summary>
public sealed class SmsProviderException : Exception
{
    public SmsProviderException(string message, Exception? inner = null)
        : this(message, ReasonCodes.ProviderFailed, inner)
    {
    }

    public SmsProviderException(string message, string reasonCode, Exception? inner = null)
        : base(message, inner) => ReasonCode = reasonCode;

    /// <summary>A <see cref="ReasonCodes"/> value; the pipeline answers with the matching refusal.</summary>
    public string ReasonCode { get; }
}
