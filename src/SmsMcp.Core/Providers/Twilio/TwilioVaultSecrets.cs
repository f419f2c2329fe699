using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Providers.Twilio;

/// <summary>
/// The Twilio secrets in Key Vault (<see cref="TwilioOptions.KeyVaultUri"/>), read through the app's managed identity and
/// cached per secret for <see cref="TwilioOptions.KeyVaultCacheTtl"/>. The one cache both the send credential
/// (<see cref="KeyVaultTwilioCredentialSource"/>) and the status-callback token (<see cref="TwilioAuthTokenSource"/>) read:
/// with <see cref="TwilioCredentialKind.AuthToken"/> they name the same secret, so a re-read by either one is seen by both.
/// </summary>
/// <remarks>
/// <para>A secret the vault does not have is remembered as absent for <see cref="RetryInterval"/>, not the TTL, so adding it
/// takes effect quickly. When the vault cannot answer, the secret is not asked for again for <see cref="RetryInterval"/>
/// (the status webhook is anonymous: no caller may make the vault be read at will), and a value read earlier is used for
/// <see cref="TwilioOptions.KeyVaultStaleGrace"/> past its TTL with a warning; with none, the read fails with
/// <see cref="TwilioCredentialUnavailableException"/>. Only one vault read runs at a time; concurrent callers share its
/// result.</para>
/// <para>Values are trimmed (secrets pasted through the portal or CLI often end with a newline) and never logged; errors
/// name the secret, the exception type and the HTTP status only, because the SDK's messages can quote the service.</para>
/// </remarks>
public sealed class TwilioVaultSecrets : IDisposable
{
    /// <summary>How long a failed read (or a missing secret) keeps the vault from being asked for that secret again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly SecretClient _client;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioVaultSecrets> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _retryAfter = new(StringComparer.Ordinal); // guarded by _gate

    public TwilioVaultSecrets(SecretClient client, IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioVaultSecrets> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The secret's value from the cache or the vault; null when the vault has no such secret (or it is empty).</summary>
    public async ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(name, out var fresh) && IsFresh(fresh))
        {
            return fresh.Value;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _entries.TryGetValue(name, out var cached);
            if (cached is not null && IsFresh(cached))
            {
                return cached.Value;
            }

            var usable = cached is not null && Age(cached) < _options.KeyVaultCacheTtl + _options.KeyVaultStaleGrace;
            if (_retryAfter.TryGetValue(name, out var retryAfter) && _time.GetUtcNow() < retryAfter)
            {
                return usable ? cached!.Value : throw Unavailable($"reading the Key Vault secret '{name}' failed moments ago");
            }

            try
            {
                return await ReadLockedAsync(name, cancellationToken);
            }
            catch (TwilioCredentialUnavailableException) when (usable)
            {
                _logger.LogWarning("Key Vault could not be read; using the secret '{SecretName}' read at {ReadAt:O} (past its TTL, within the stale grace period) and asking the vault again in {RetryInterval}.",
                    name, cached!.ReadAt, RetryInterval);
                return cached.Value;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads the secret from the vault now — unless the cached value already differs from <paramref name="rejected"/>
    /// (someone re-read it since): that value is returned without a vault call. With <paramref name="forgetOnFailure"/>,
    /// the cached value is dropped first, so a failed read leaves nothing to fall back on (the value is known to be bad).
    /// Throws <see cref="TwilioCredentialUnavailableException"/> when the vault cannot answer.
    /// </summary>
    public async Task<string?> ReloadAsync(string name, string? rejected, bool forgetOnFailure, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_entries.TryGetValue(name, out var cached) && !string.Equals(cached.Value, rejected, StringComparison.Ordinal))
            {
                return cached.Value;
            }

            if (forgetOnFailure)
            {
                _entries.TryRemove(name, out _);
            }

            return await ReadLockedAsync(name, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan Age(Entry entry) => _time.GetUtcNow() - entry.ReadAt;

    private bool IsFresh(Entry entry) => Age(entry) < (entry.Value is null ? RetryInterval : _options.KeyVaultCacheTtl);

    private async Task<string?> ReadLockedAsync(string name, CancellationToken cancellationToken)
    {
        string? value;
        try
        {
            value = await ReadSecretAsync(name, cancellationToken);
        }
        catch (TwilioCredentialUnavailableException)
        {
            _retryAfter[name] = _time.GetUtcNow() + RetryInterval;
            throw;
        }

        _retryAfter.Remove(name);
        _entries[name] = new Entry(value, _time.GetUtcNow());
        return value;
    }

    private async Task<string?> ReadSecretAsync(string name, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.KeyVaultTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var value = (await _client.GetSecretAsync(name, version: null, linked.Token)).Value.Value?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            _logger.LogInformation("Key Vault has no secret '{SecretName}'.", name);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var status = e is RequestFailedException { Status: > 0 } failed ? $", HTTP {failed.Status}" : "";
            throw Unavailable($"Key Vault did not return the secret '{name}' ({e.GetType().Name}{status})");
        }
    }

    private TwilioCredentialUnavailableException Unavailable(string why)
    {
        _logger.LogWarning("Twilio secret unavailable: {Reason}.", why);
        return new TwilioCredentialUnavailableException(why);
    }

    private sealed record Entry(string? Value, DateTimeOffset ReadAt);
}
