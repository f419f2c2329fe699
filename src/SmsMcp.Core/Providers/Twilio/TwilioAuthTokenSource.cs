using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Providers.Twilio;

/// <summary>
/// The account auth token that checks status-callback signatures (Twilio signs them with it, also when messages are sent
/// with an API key): <see cref="TwilioOptions.AuthToken"/> when set, else — with <see cref="TwilioOptions.KeyVaultUri"/> —
/// the vault secret <see cref="TwilioOptions.KeyVaultAuthTokenSecretName"/>, cached for
/// <see cref="TwilioOptions.KeyVaultCacheTtl"/> like the send credential. No token anywhere means callbacks are not accepted.
/// </summary>
/// <remarks>
/// The webhook is anonymous, so a vault read must not be something a caller can trigger at will: the answer — a token or
/// "no such secret" — is cached for the TTL, and after a failed read the vault is not asked again for
/// <see cref="KeyVaultTwilioCredentialSource.StaleRetryInterval"/>. While it cannot answer, a token read earlier is used
/// for <see cref="TwilioOptions.KeyVaultStaleGrace"/> past its TTL; with none, the read fails (the webhook answers 503 and
/// Twilio retries).
/// </remarks>
public sealed class TwilioAuthTokenSource : IDisposable
{
    private readonly TwilioOptions _options;
    private readonly SecretClient? _vault;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioAuthTokenSource> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached;
    private DateTimeOffset _failedUntil; // guarded by _gate

    /// <param name="vault">The vault client when <see cref="TwilioOptions.KeyVaultUri"/> is set, else null.</param>
    public TwilioAuthTokenSource(IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioAuthTokenSource> logger, SecretClient? vault)
    {
        _options = options.Value;
        _vault = vault;
        _time = time;
        _logger = logger;
    }

    /// <summary>The auth token, or null when there is none. Throws <see cref="TwilioCredentialUnavailableException"/> when the vault cannot answer.</summary>
    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (_options.AuthToken is { Length: > 0 } configured)
        {
            return configured;
        }

        if (_vault is null)
        {
            return null;
        }

        if (_cached is { } fresh && Age(fresh) < _options.KeyVaultCacheTtl)
        {
            return fresh.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cached = _cached;
            if (cached is not null && Age(cached) < _options.KeyVaultCacheTtl)
            {
                return cached.Token;
            }

            var usable = cached is not null && Age(cached) < _options.KeyVaultCacheTtl + _options.KeyVaultStaleGrace;
            if (_time.GetUtcNow() < _failedUntil)
            {
                return usable ? cached!.Token : throw Unavailable("the last read failed moments ago");
            }

            try
            {
                var token = await ReadAsync(cancellationToken);
                _cached = new Cached(token, _time.GetUtcNow());
                return token;
            }
            catch (TwilioCredentialUnavailableException) when (usable)
            {
                _failedUntil = _time.GetUtcNow() + KeyVaultTwilioCredentialSource.StaleRetryInterval;
                _logger.LogWarning("Twilio auth token: Key Vault could not be read; using the token read at {ReadAt:O} (past its TTL, within the stale grace period).", cached!.ReadAt);
                return cached.Token;
            }
            catch (TwilioCredentialUnavailableException)
            {
                _failedUntil = _time.GetUtcNow() + KeyVaultTwilioCredentialSource.StaleRetryInterval;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan Age(Cached cached) => _time.GetUtcNow() - cached.ReadAt;

    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        var name = _options.KeyVaultAuthTokenSecretName;
        using var timeout = new CancellationTokenSource(_options.KeyVaultTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var value = (await _vault!.GetSecretAsync(name, version: null, linked.Token)).Value.Value?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such secret: this deployment does not accept callbacks (the same as no token in configuration).
            _logger.LogInformation("Twilio auth token: Key Vault has no secret '{SecretName}'; status callbacks are not accepted.", name);
            return null;
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
    }

    private TwilioCredentialUnavailableException Unavailable(string why)
    {
        _logger.LogWarning("Twilio auth token unavailable: {Reason}.", why);
        return new TwilioCredentialUnavailableException($"No Twilio auth token: {why}.");
    }

    private sealed record Cached(string? Token, DateTimeOffset ReadAt);
}
