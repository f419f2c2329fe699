namespace SmsMcp.Core.Providers;

/// <summary>
/// Hands one message to an SMS carrier. Implementations throw <see cref="SmsProviderException"/> when the
/// message was certainly not accepted; they never retry a request that may have reached the carrier, and
/// when such a request got no answer they return <see cref="ProviderSendResult.Unknown"/> instead of throwing.
/// </summary>
public interface ISmsProvider
{
    /// <summary>Short name recorded with each message ("sandbox", "twilio").</summary>
    string Name { get; }

    Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken);
}
