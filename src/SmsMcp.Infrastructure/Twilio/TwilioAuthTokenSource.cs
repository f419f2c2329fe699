using Microsoft.Extensions.Options;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The account auth token that checks status-callback signatures (Twilio signs them with it, also when messages are sent
/// with an API key): <see cref="TwilioOptions.AuthToken"/> when set, else — with <see cref="TwilioOptions.KeyVaultUri"/> —
/// the vault secret <see cref="TwilioOptions.KeyVaultAuthTokenSecretName"/> from <see cref="TwilioVaultSecrets"/>, the
/// cache the send credential uses too. No token anywhere means callbacks are not accepted.
/// </summary>
/// <remarks>
/// After the token is rotated, callbacks are signed with a token the cache does not hold yet, and Twilio does not retry a
/// 403. So a signature that fails with a vault token may have the vault read again
/// (<see cref="RefreshAfterRejectedSignatureAsync"/>) — but the webhook is anonymous, so that rests on
/// <see cref="TwilioVaultSecrets.ReloadAsync"/>: at most one re-read per <see cref="TwilioVaultSecrets.RetryInterval"/>,
/// however many bad signatures arrive, with callbacks that fail meanwhile checked against its result.
/// </remarks>
public sealed class TwilioAuthTokenSource
{
    private readonly TwilioOptions _options;
    private readonly TwilioVaultSecrets? _vault;

    /// <param name="vault">The vault secrets when <see cref="TwilioOptions.KeyVaultUri"/> is set, else null.</param>
    public TwilioAuthTokenSource(IOptions<TwilioOptions> options, TwilioVaultSecrets? vault)
    {
        _options = options.Value;
        _vault = vault;
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

        try
        {
            var current = await _vault.ReloadAsync(_options.KeyVaultAuthTokenSecretName, rejected, withholdOnFailure: false, cancellationToken);
            return current is not null && current != rejected ? current : null;
        }
        catch (TwilioCredentialUnavailableException)
        {
            // Logged by the vault cache; the callback is refused (403) and the cached token stays in use.
            return null;
        }
    }
}
