namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// Where <see cref="TwilioApi"/> gets its credential: configuration (<see cref="ConfigurationTwilioCredentialSource"/>)
/// or Key Vault (<see cref="KeyVaultTwilioCredentialSource"/>). Implementations throw
/// <see cref="TwilioCredentialUnavailableException"/> rather than return a credential they cannot vouch for.
/// </summary>
public interface ITwilioCredentialSource
{
    /// <summary>The credential to send with now.</summary>
    ValueTask<TwilioCredential> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Twilio rejected <paramref name="rejected"/> (HTTP 401): returns a different credential to try once more, or null
    /// when there is none (the source cannot change, or re-reading gave the same credential).
    /// </summary>
    ValueTask<TwilioCredential?> RefreshAsync(TwilioCredential rejected, CancellationToken cancellationToken);
}
