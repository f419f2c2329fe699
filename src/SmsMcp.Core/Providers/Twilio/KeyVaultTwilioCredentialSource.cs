using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Providers.Twilio;

/// <summary>
/// The Twilio credential read from Key Vault (<see cref="TwilioOptions.KeyVaultUri"/>) through the app's managed identity,
/// cached for <see cref="TwilioOptions.KeyVaultCacheTtl"/> so a send normally costs no vault call, and re-read once when
/// Twilio rejects it — so rotating the secret in the vault needs no restart.
/// </summary>
/// <remarks>
/// Fail closed: with nothing cached, a vault that cannot answer means no credential and no send; configuration is never
/// used instead. A cached credential past its TTL is still used for <see cref="TwilioOptions.KeyVaultStaleGrace"/> while the
/// vault is down (with a warning): it was valid when read, and Twilio remains the judge — if it was revoked, Twilio answers
/// 401, the re-read fails and the send is refused. Refusing instead would turn every short vault outage into an SMS outage
/// without making anything safer. Only one vault read runs at a time; concurrent callers share its result.
/// </remarks>
public sealed partial class KeyVaultTwilioCredentialSource : ITwilioCredentialSource, IDisposable
{
    /// <summary>
    /// Service key of the <see cref="SecretClientOptions"/> used for the vault (<see cref="DefaultClientOptions"/> unless
    /// registered otherwise; tests replace the transport that way).
    /// </summary>
    public const string ClientOptionsKey = "SmsMcp.Twilio.KeyVault";

    /// <summary>
    /// While a stale credential is in use because the vault failed, the vault is asked again at most this often: every
    /// send would otherwise wait for a failing read (up to <see cref="TwilioOptions.KeyVaultTimeout"/>), one after another.
    /// </summary>
    public static readonly TimeSpan StaleRetryInterval = TimeSpan.FromSeconds(30);

    private readonly SecretClient _client;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyVaultTwilioCredentialSource> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached;
    private DateTimeOffset _staleUntilRetry; // guarded by _gate

    public KeyVaultTwilioCredentialSource(SecretClient client, IOptions<TwilioOptions> options, TimeProvider time, ILogger<KeyVaultTwilioCredentialSource> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
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
        if (_cached is { } fresh && IsFresh(fresh))
        {
            return fresh.Credential;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cached = _cached;
            if (cached is not null && IsFresh(cached))
            {
                return cached.Credential;
            }

            var usable = cached is not null && _time.GetUtcNow() - cached.ReadAt < _options.KeyVaultCacheTtl + _options.KeyVaultStaleGrace;
            if (usable && _time.GetUtcNow() < _staleUntilRetry)
            {
                return cached!.Credential;
            }

            try
            {
                return await ReadAsync(cancellationToken);
            }
            catch (TwilioCredentialUnavailableException) when (usable)
            {
                _staleUntilRetry = _time.GetUtcNow() + StaleRetryInterval;
                _logger.LogWarning("Twilio credential: Key Vault could not be read; using the credential read at {ReadAt:O} (past its TTL, within the stale grace period) and asking the vault again in {RetryInterval}.",
                    cached!.ReadAt, StaleRetryInterval);
                return cached.Credential;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<TwilioCredential?> RefreshAsync(TwilioCredential rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another send may have re-read the vault while this one waited: its result is the new credential.
            if (_cached is { } cached && !cached.Credential.SameAs(rejected))
            {
                return cached.Credential;
            }

            // Twilio has just said the cached credential is no good: forget it, so that a failed re-read leaves a cold cache
            // (no send, no stale fallback) rather than a credential every later send would post and see rejected.
            _cached = null;
            var read = await ReadAsync(cancellationToken);
            if (read.SameAs(rejected))
            {
                _logger.LogWarning("Twilio credential: Twilio rejected it and Key Vault still holds the same one; not retrying.");
                return null;
            }

            _logger.LogInformation("Twilio credential: Twilio rejected it; Key Vault holds a new one (rotated).");
            return read;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private bool IsFresh(Cached cached) => _time.GetUtcNow() - cached.ReadAt < _options.KeyVaultCacheTtl;

    private async Task<TwilioCredential> ReadAsync(CancellationToken cancellationToken)
    {
        var credential = _options.KeyVaultCredentialKind == TwilioCredentialKind.ApiKey
            ? new TwilioCredential(
                await ReadSecretAsync(_options.KeyVaultApiKeySidSecretName, cancellationToken),
                await ReadSecretAsync(_options.KeyVaultApiKeySecretSecretName, cancellationToken))
            : new TwilioCredential(_options.AccountSid!, await ReadSecretAsync(_options.KeyVaultAuthTokenSecretName, cancellationToken));
        if (_options.KeyVaultCredentialKind == TwilioCredentialKind.ApiKey && !ApiKeySidPattern().IsMatch(credential.Username))
        {
            throw Unavailable($"the Key Vault secret '{_options.KeyVaultApiKeySidSecretName}' is not an API key SID ('SK' followed by 32 hex digits)");
        }

        _cached = new Cached(credential, _time.GetUtcNow());
        return credential;
    }

    private async Task<string> ReadSecretAsync(string name, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.KeyVaultTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        KeyVaultSecret secret;
        try
        {
            secret = (await _client.GetSecretAsync(name, version: null, linked.Token)).Value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // The SDK's messages can quote the service's answer; only the type and HTTP status are passed on.
            var status = e is RequestFailedException { Status: > 0 } failed ? $", HTTP {failed.Status}" : "";
            throw Unavailable($"Key Vault did not return the secret '{name}' ({e.GetType().Name}{status})");
        }

        // Secrets pasted through the portal or CLI often end with a newline, which Twilio would reject.
        var value = secret.Value?.Trim();
        return string.IsNullOrEmpty(value) ? throw Unavailable($"the Key Vault secret '{name}' is empty") : value;
    }

    private TwilioCredentialUnavailableException Unavailable(string why)
    {
        _logger.LogWarning("Twilio credential unavailable: {Reason}.", why);
        return new TwilioCredentialUnavailableException($"No Twilio credential: {why}. Nothing was sent.");
    }

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    private static partial Regex ApiKeySidPattern();

    private sealed record Cached(TwilioCredential Credential, DateTimeOffset ReadAt);
}
