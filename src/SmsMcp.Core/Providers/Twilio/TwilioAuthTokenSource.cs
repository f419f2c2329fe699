using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmsMcp.Core.Providers.Twilio;

/// <summary>
/// The account auth token that checks status-callback signatures (Twilio signs them with it, also when messages are sent
/// with an API key): <see cref="TwilioOptions.AuthToken"/> when set, else — with <see cref="TwilioOptions.KeyVaultUri"/> —
/// the vault secret <see cref="TwilioOptions.KeyVaultAuthTokenSecretName"/> from <see cref="TwilioVaultSecrets"/>, the
/// cache the send credential uses too. No token anywhere means callbacks are not accepted.
/// </summary>
/// <remarks>
/// After the token is rotated, callbacks are signed with a token the cache does not hold yet, and Twilio does not retry a
/// 403. So a signature that fails with a vault token may have the vault read again
/// (<see cref="RefreshAfterRejectedSignatureAsync"/>) — but the webhook is anonymous, so that happens at most once per
/// <see cref="SignatureRefreshInterval"/>, however many bad signatures arrive; callbacks that fail meanwhile wait for the
/// read in flight and are checked against its result.
/// </remarks>
public sealed class TwilioAuthTokenSource
{
    /// <summary>Least time between two vault reads caused by failed signatures.</summary>
    public static readonly TimeSpan SignatureRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly TwilioOptions _options;
    private readonly TwilioVaultSecrets? _vault;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioAuthTokenSource> _logger;
    private readonly Lock _refreshLock = new();
    private Task? _refresh; // guarded by _refreshLock
    private DateTimeOffset _nextRefresh; // guarded by _refreshLock

    /// <param name="vault">The vault secrets when <see cref="TwilioOptions.KeyVaultUri"/> is set, else null.</param>
    public TwilioAuthTokenSource(IOptions<TwilioOptions> options, TimeProvider time, ILogger<TwilioAuthTokenSource> logger, TwilioVaultSecrets? vault)
    {
        _options = options.Value;
        _vault = vault;
        _time = time;
        _logger = logger;
    }

    /// <summary>The auth token, or null when there is none. Throws <see cref="TwilioCredentialUnavailableException"/> when the vault cannot answer.</summary>
    public ValueTask<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (_options.AuthToken is { Length: > 0 } configured)
        {
            return ValueTask.FromResult<string?>(configured);
        }

        return _vault is null ? ValueTask.FromResult<string?>(null) : _vault.GetAsync(_options.KeyVaultAuthTokenSecretName, forSending: false, cancellationToken);
    }

    /// <summary>
    /// A signature did not verify with <paramref name="rejected"/>: returns a different token to check it with once more —
    /// one already re-read (by a send's 401 or another callback), or the vault's current one if a re-read is due — or null
    /// when there is none (configured token, the vault holds the same one, a re-read ran moments ago, the vault is down).
    /// </summary>
    public async ValueTask<string?> RefreshAfterRejectedSignatureAsync(string rejected, CancellationToken cancellationToken)
    {
        if (_options.AuthToken is { Length: > 0 } || _vault is null)
        {
            return null;
        }

        if (await CurrentAsync(cancellationToken) is { } current && current != rejected)
        {
            return current;
        }

        Task refresh;
        lock (_refreshLock)
        {
            var now = _time.GetUtcNow();
            if (_refresh is null || (_refresh.IsCompleted && now >= _nextRefresh))
            {
                _nextRefresh = now + SignatureRefreshInterval;
                _refresh = ReloadAsync(rejected);
            }

            refresh = _refresh;
        }

        await refresh.WaitAsync(cancellationToken);
        return await CurrentAsync(cancellationToken) is { } reloaded && reloaded != rejected ? reloaded : null;
    }

    private async Task<string?> CurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(cancellationToken);
        }
        catch (TwilioCredentialUnavailableException)
        {
            return null;
        }
    }

    // Shared by every callback waiting for it, so it does not run on (or end with) any one request's token; the vault read
    // has its own deadline (KeyVaultTimeout).
    private async Task ReloadAsync(string rejected)
    {
        try
        {
            var read = await _vault!.ReloadAsync(_options.KeyVaultAuthTokenSecretName, rejected, withholdOnFailure: false, CancellationToken.None);
            if (read is not null && read != rejected)
            {
                _logger.LogInformation("Twilio auth token: a status callback signature failed; Key Vault holds a new token (rotated).");
            }
        }
        catch (TwilioCredentialUnavailableException)
        {
            // Logged by the vault cache; the callback is refused (403) and the cached token stays in use.
        }
    }
}
