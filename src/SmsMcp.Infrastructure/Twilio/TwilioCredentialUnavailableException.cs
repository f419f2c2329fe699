namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// No credential can be vouched for (Key Vault unreachable with nothing usable cached, a secret missing or malformed):
/// nothing is sent. The message names the vault operation and secret names only — never a value.
/// </summary>
public sealed class TwilioCredentialUnavailableException(string message) : Exception(message);
