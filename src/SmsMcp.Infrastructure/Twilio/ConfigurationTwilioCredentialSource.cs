using Microsoft.Extensions.Options;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>The credential from <c>Sms:Twilio</c> settings (an API key when set, else the auth token). It cannot rotate without a restart.</summary>
public sealed class ConfigurationTwilioCredentialSource(IOptions<TwilioOptions> options) : ITwilioCredentialSource
{
    // An API key (revocable, restrictable) is preferred; the auth token is the account's master credential.
    // Validated at start: either both API key settings are present or the auth token is.
    private readonly TwilioCredential _credential = options.Value.ApiKeySid is { Length: > 0 } keySid
        ? new TwilioCredential(keySid, options.Value.ApiKeySecret!)
        : new TwilioCredential(options.Value.AccountSid!, options.Value.AuthToken!);

    public ValueTask<TwilioCredential> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_credential);

    public ValueTask<TwilioCredential?> RefreshAsync(TwilioCredential rejected, CancellationToken cancellationToken) =>
        ValueTask.FromResult<TwilioCredential?>(null);
}
