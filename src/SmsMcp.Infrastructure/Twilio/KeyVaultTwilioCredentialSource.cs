using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The Twilio credential read from Key Vault (<see cref="TwilioOptions.KeyVaultUri"/>) through <see cref="TwilioVaultSecrets"/>,
/// the cache it shares with the status-callback token, so a send normally costs no vault call, and re-read once when
/// Twilio rejects it — so rotating the secret in the vault needs no restart.
/// </summary>
/// <remarks>
/// Fail closed: with nothing cached, a vault that cannot answer means no credential and no send; configuration is never
/// used instead. A cached credential past its TTL is still used for <see cref="TwilioOptions.KeyVaultStaleGrace"/> while the
/// vault is down (with a warning): it was valid when read, and Twilio remains the judge — if it was revoked, Twilio answers
/// 401, the re-read fails and the send is refused. Refusing instead would turn every short vault outage into an SMS outage
/// without making anything safer.
/// </remarks>
public sealed partial class KeyVaultTwilioCredentialSource : ITwilioCredentialSource
{
    /// <summary>
    /// Service key of the <see cref="SecretClientOptions"/> used for the vault (<see cref="DefaultClientOptions"/> unless
    /// registered otherwise; tests replace the transport that way).
    /// </summary>
    public const string ClientOptionsKey = "SmsMcp.Twilio.KeyVault";

    private readonly TwilioVaultSecrets _secrets;
    private readonly TwilioOptions _options;
    private readonly ILogger<KeyVaultTwilioCredentialSource> _logger;

    public KeyVaultTwilioCredentialSource(TwilioVaultSecrets secrets, IOptions<TwilioOptions> options, ILogger<KeyVaultTwilioCredentialSource> logger)
    {
        _secrets = secrets;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Production client options: Azure.Core's logging and tracing off (they record request URIs), at most 2 retries from
    /// 100 ms and a 5 s network timeout, so an unreachable vault fails a send quickly instead of holding it for minutes.
    /// </summary>
    public static SecretClientOptions DefaultClientOptions()
    {
        var options = new SecretClientOptions();
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    public async ValueTask<TwilioCredential> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return IsApiKey
                ? Credential(
                    await _secrets.GetAsync(_options.KeyVaultApiKeySidSecretName, forSending: true, cancellationToken),
                    await _secrets.GetAsync(_options.KeyVaultApiKeySecretSecretName, forSending: true, cancellationToken))
                : Credential(_options.AccountSid, await _secrets.GetAsync(_options.KeyVaultAuthTokenSecretName, forSending: true, cancellationToken));
        }
        catch (TwilioCredentialUnavailableException e)
        {
            throw Unavailable(e.Message);
        }
    }

    public async ValueTask<TwilioCredential?> RefreshAsync(TwilioCredential rejected, CancellationToken cancellationToken)
    {
        // Twilio has just said the cached credential is no good: each part still cached as rejected is read again — at
        // most once per TwilioVaultSecrets.RetryInterval however many sends are refused; within it the vault's answer of
        // moments ago stands (the same credential: not retried). A failed re-read withholds the part from sends (no send,
        // no stale fallback, rather than a credential every later send would post and see rejected) while the status
        // webhook keeps checking signatures with it. A part another send has re-read meanwhile is taken as it is.
        TwilioCredential read;
        try
        {
            read = IsApiKey
                ? Credential(
                    await _secrets.ReloadAsync(_options.KeyVaultApiKeySidSecretName, rejected.Username, withholdOnFailure: true, cancellationToken),
                    await _secrets.ReloadAsync(_options.KeyVaultApiKeySecretSecretName, rejected.Secret, withholdOnFailure: true, cancellationToken))
                : Credential(_options.AccountSid, await _secrets.ReloadAsync(_options.KeyVaultAuthTokenSecretName, rejected.Secret, withholdOnFailure: true, cancellationToken));
        }
        catch (TwilioCredentialUnavailableException e)
        {
            throw Unavailable(e.Message);
        }

        if (read.SameAs(rejected))
        {
            _logger.LogWarning("Twilio credential: Twilio rejected it and Key Vault still holds the same one; not retrying.");
            return null;
        }

        _logger.LogInformation("Twilio credential: Twilio rejected it; Key Vault holds a new one (rotated).");
        return read;
    }

    private bool IsApiKey => _options.KeyVaultCredentialKind == TwilioCredentialKind.ApiKey;

    private TwilioCredential Credential(string? username, string? secret)
    {
        var (userSecretName, secretName) = IsApiKey
            ? (_options.KeyVaultApiKeySidSecretName, _options.KeyVaultApiKeySecretSecretName)
            : ("", _options.KeyVaultAuthTokenSecretName);
        if (username is null)
        {
            throw new TwilioCredentialUnavailableException($"the Key Vault secret '{userSecretName}' does not exist or is empty");
        }

        if (IsApiKey && !ApiKeySidPattern().IsMatch(username))
        {
            throw new TwilioCredentialUnavailableException($"the Key Vault secret '{userSecretName}' is not an API key SID ('SK' followed by 32 hex digits)");
        }

        return secret is null
            ? throw new TwilioCredentialUnavailableException($"the Key Vault secret '{secretName}' does not exist or is empty")
            : new TwilioCredential(username, secret);
    }

    // Not logged here: a vault failure is already logged by TwilioVaultSecrets, and the reason reaches the logs through
    // this message where the send fails (TwilioApi).
    private static TwilioCredentialUnavailableException Unavailable(string why) =>
        new($"No Twilio credential: {why}. Nothing was sent.");

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    private static partial Regex ApiKeySidPattern();
}
