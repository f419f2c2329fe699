namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Which credential <see cref="KeyVaultTwilioCredentialSource"/> reads from Key Vault.</summary>
public enum TwilioCredentialKind
{
    /// <summary>An API key SID and its secret (preferred: revocable and restrictable).</summary>
    ApiKey,

    /// <summary>The account's auth token, with <see cref="TwilioOptions.AccountSid"/> as the user name.</summary>
    AuthToken,
}
