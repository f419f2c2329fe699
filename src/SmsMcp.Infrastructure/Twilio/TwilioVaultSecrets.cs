using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Infrastructure.Twilio;

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
/// result. A re-read after a rejection (<see cref="ReloadAsync"/>) runs at most once per <see cref="RetryInterval"/> per
/// secret, whoever asks.</para>
/// <para>Values are trimmed (secrets pasted through the portal or CLI often end with a newline) and never logged; errors
/// name the secret, the exception type and the HTTP status only, because the SDK's messages can quote the service.</para>
/// </remarks>
public sealed class TwilioVaultSecrets : IDisposable
{
    /// <summary>
    /// How long a failed read (or a missing secret) keeps the vault from being asked for that secret again, and the least
    /// time between two re-reads of a secret after rejections.
    /// </summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly SecretClient _client;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioVaultSecrets> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _retryAfter = new(StringComparer.Ordinal); // guarded by _gate
    private readonly Dictionary<string, DateTimeOffset> _reloadAfter = new(StringComparer.Ordinal); // guarded by _gate

    public TwilioVaultSecrets(SecretClient client, IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioVaultSecrets> logger)
    {
        _client = client;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The secret's value from the cache or the vault; null when the vault has no such secret (or it is empty). With
    /// <paramref name="forSending"/>, a value Twilio rejected whose re-read then failed (see <see cref="ReloadAsync"/>) is
    /// not returned: the vault is read again when due, else the read fails.
    /// </summary>
    public async ValueTask<string?> GetAsync(string name, bool forSending, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(name, out var fresh) && IsFresh(fresh) && Serves(fresh, forSending))
        {
            return fresh.Value;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _entries.TryGetValue(name, out var cached);
            if (cached is not null && IsFresh(cached) && Serves(cached, forSending))
            {
                return cached.Value;
            }

            var usable = cached is not null && Serves(cached, forSending) && Age(cached) < _options.KeyVaultCacheTtl + _options.KeyVaultStaleGrace;
            if (StillWaiting(_retryAfter, name))
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
    /// Reads the secret from the vault again because <paramref name="rejected"/> was refused — unless the cached value
    /// already differs from it (someone re-read it since): that value is returned without a vault call. At most one such
    /// re-read per secret runs per <see cref="RetryInterval"/> (and none while a failed read's interval runs): a caller
    /// within it gets the cached value (the vault's answer moments ago), or the error when that read failed. With
    /// <paramref name="withholdOnFailure"/> (Twilio rejected the value), a failed re-read withholds the cached value from
    /// sends (<see cref="GetAsync"/> with <c>forSending</c>) but keeps it for the status-callback check.
    /// Throws <see cref="TwilioCredentialUnavailableException"/> when the vault cannot answer.
    /// </summary>
    public async Task<string?> ReloadAsync(string name, string? rejected, bool withholdOnFailure, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _entries.TryGetValue(name, out var cached);
            if (cached is not null && !string.Equals(cached.Value, rejected, StringComparison.Ordinal))
            {
                return cached.Value;
            }

            // Every send Twilio refuses asks for a re-read, and an agent may loop over sends: however many ask, the vault
            // is read at most once per interval (the webhook's refresh is bounded the same way).
            if (StillWaiting(_reloadAfter, name) || StillWaiting(_retryAfter, name))
            {
                return cached is not null && Serves(cached, withholdOnFailure)
                    ? cached.Value
                    : throw Unavailable($"Key Vault was asked for the secret '{name}' moments ago and did not provide a usable one");
            }

            _reloadAfter[name] = _time.GetUtcNow() + RetryInterval;
            try
            {
                return await ReadLockedAsync(name, cancellationToken);
            }
            catch (TwilioCredentialUnavailableException) when (withholdOnFailure && cached is not null)
            {
                // Sends must not post a value Twilio refused; the status webhook still checks signatures with it (it
                // signed the callbacks of messages sent before the rotation, and without it every callback would get 503).
                _entries[name] = cached with { WithheldFromSends = true };
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan Age(Entry entry) => _time.GetUtcNow() - entry.ReadAt;

    private static bool Serves(Entry entry, bool forSending) => !(forSending && entry.WithheldFromSends);

    private bool StillWaiting(Dictionary<string, DateTimeOffset> until, string name) => until.TryGetValue(name, out var time) && _time.GetUtcNow() < time;

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

    private sealed record Entry(string? Value, DateTimeOffset ReadAt, bool WithheldFromSends = false);
}
