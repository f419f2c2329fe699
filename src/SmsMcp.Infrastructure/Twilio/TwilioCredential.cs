namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// One Basic-auth credential for Twilio: an API key SID and secret, or the account SID and auth token.
/// <see cref="ToString"/> never shows the secret, so a credential that ends up in a log line or an exception leaks nothing.
/// </summary>
public sealed class TwilioCredential(string username, string secret)
{
    public string Username { get; } = username;

    internal string Secret { get; } = secret;

    /// <summary>True when both parts are equal (ordinal): a "refreshed" credential that is the same is no rotation.</summary>
    public bool SameAs(TwilioCredential other) =>
        string.Equals(Username, other.Username, StringComparison.Ordinal) && string.Equals(Secret, other.Secret, StringComparison.Ordinal);

    public override string ToString() => $"TwilioCredential({Username}, secret redacted)";
}
