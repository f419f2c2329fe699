using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>Refuses to start on incomplete or malformed Twilio settings, naming the setting and never echoing a value.</summary>
public sealed partial class TwilioOptionsValidator : IValidateOptions<TwilioOptions>
{
    private const string S = TwilioOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TwilioOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.AccountSid))
        {
            failures.Add($"{S}:AccountSid is required.");
        }
        else if (!AccountSidPattern().IsMatch(o.AccountSid))
        {
            failures.Add($"{S}:AccountSid must be 'AC' followed by 32 hex digits.");
        }

        var hasKeySid = !string.IsNullOrEmpty(o.ApiKeySid);
        var hasKeySecret = !string.IsNullOrEmpty(o.ApiKeySecret);
        if (hasKeySid && !ApiKeySidPattern().IsMatch(o.ApiKeySid!))
        {
            failures.Add($"{S}:ApiKeySid must be 'SK' followed by 32 hex digits.");
        }

        if (!string.IsNullOrEmpty(o.KeyVaultUri))
        {
            CheckKeyVault(failures, o, hasKeySid || hasKeySecret);
        }
        else if (hasKeySid != hasKeySecret)
        {
            failures.Add(hasKeySid ? $"{S}:ApiKeySecret is required with {S}:ApiKeySid." : $"{S}:ApiKeySid is required with {S}:ApiKeySecret.");
        }
        else if (!hasKeySid && string.IsNullOrEmpty(o.AuthToken))
        {
            failures.Add($"{S}:ApiKeySid and {S}:ApiKeySecret (preferred) or {S}:AuthToken are required.");
        }

        var hasFrom = !string.IsNullOrWhiteSpace(o.From);
        var hasService = !string.IsNullOrWhiteSpace(o.MessagingServiceSid);
        if (hasFrom == hasService)
        {
            failures.Add($"Exactly one of {S}:From and {S}:MessagingServiceSid is required.");
        }
        else if (hasFrom && !SenderPattern().IsMatch(o.From!))
        {
            failures.Add($"{S}:From must be an E.164 number, a 3-8 digit short code or an alphanumeric sender id (1-11 letters, digits, spaces).");
        }
        else if (hasService && !MessagingServiceSidPattern().IsMatch(o.MessagingServiceSid!))
        {
            failures.Add($"{S}:MessagingServiceSid must be 'MG' followed by 32 hex digits.");
        }

        if (o.StatusCallbackUrl is { Length: > 0 } callback)
        {
            if (!(Uri.TryCreate(callback, UriKind.Absolute, out var callbackUri) && IsSafeScheme(callbackUri)))
            {
                failures.Add($"{S}:StatusCallbackUrl must be an absolute https URL (http only on a loopback host).");
            }
            else if (callbackUri.Fragment.Length > 0 || HasMessageIdParameter(callbackUri.Query))
            {
                // The server adds the message id to the query of every message's callback URL; a fragment would swallow it.
                failures.Add($"{S}:StatusCallbackUrl must have no fragment and no '{TwilioApi.StatusCallbackMessageIdParameter}' query parameter (the server adds it).");
            }
        }

        CheckBaseUrl(failures, "ApiBaseUrl", o.ApiBaseUrl);
        CheckBaseUrl(failures, "LookupBaseUrl", o.LookupBaseUrl);
        CheckRange(failures, "RequestTimeout", o.RequestTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(120));
        CheckRange(failures, "ConnectTimeout", o.ConnectTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(120));
        if (o.ConnectTimeout >= o.RequestTimeout)
        {
            failures.Add($"{S}:ConnectTimeout must be shorter than {S}:RequestTimeout.");
        }

        if (o.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{S}:MaxAttempts must be between 1 and 10.");
        }

        CheckRange(failures, "RetryBaseDelay", o.RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        CheckRange(failures, "MaxRetryDelay", o.MaxRetryDelay, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Compared the way the webhook reads it (ASP.NET Core's query parser decodes names and looks them up ignoring case):
    // a 'MID' or 'm%69d' left in the URL would otherwise be a second message id, and every callback would be refused.
    // Surrounding whitespace is ignored too, erring on the side of refusing to start.
    private static bool HasMessageIdParameter(string query) =>
        query.TrimStart('?').Split('&').Any(p => string.Equals(
            Uri.UnescapeDataString(p.Split('=')[0].Replace('+', ' ')).Trim(), TwilioApi.StatusCallbackMessageIdParameter, StringComparison.OrdinalIgnoreCase));

    private static void CheckKeyVault(List<string> failures, TwilioOptions o, bool hasApiKeySetting)
    {
        // Two sources for one credential would leave the operator guessing which one sends.
        if (hasApiKeySetting)
        {
            failures.Add($"{S}:ApiKeySid and {S}:ApiKeySecret must not be set with {S}:KeyVaultUri (the credential comes from the vault).");
        }

        // Bearer tokens are only ever sent over https (Azure.Core refuses otherwise).
        if (!(Uri.TryCreate(o.KeyVaultUri, UriKind.Absolute, out var vault) && vault.Scheme == Uri.UriSchemeHttps && vault.Query.Length == 0 && vault.Fragment.Length == 0))
        {
            failures.Add($"{S}:KeyVaultUri must be an absolute https URL without query, e.g. https://my-vault.vault.azure.net/.");
        }

        if (!Enum.IsDefined(o.KeyVaultCredentialKind))
        {
            failures.Add($"{S}:KeyVaultCredentialKind must be 'ApiKey' or 'AuthToken'.");
        }

        var names = o.KeyVaultCredentialKind == TwilioCredentialKind.AuthToken
            ? new[] { ("KeyVaultAuthTokenSecretName", o.KeyVaultAuthTokenSecretName) }
            : [("KeyVaultApiKeySidSecretName", o.KeyVaultApiKeySidSecretName), ("KeyVaultApiKeySecretSecretName", o.KeyVaultApiKeySecretSecretName)];
        foreach (var (field, value) in names)
        {
            if (value is null || !SecretNamePattern().IsMatch(value))
            {
                failures.Add($"{S}:{field} must be a Key Vault secret name (1-127 letters, digits and dashes).");
            }
        }

        if (!string.IsNullOrEmpty(o.ManagedIdentityClientId) && !Guid.TryParse(o.ManagedIdentityClientId, out _))
        {
            failures.Add($"{S}:ManagedIdentityClientId must be a client id (GUID).");
        }

        CheckRange(failures, "KeyVaultCacheTtl", o.KeyVaultCacheTtl, TimeSpan.FromSeconds(10), TimeSpan.FromHours(24));
        CheckRange(failures, "KeyVaultStaleGrace", o.KeyVaultStaleGrace, TimeSpan.Zero, TimeSpan.FromHours(24));
        CheckRange(failures, "KeyVaultTimeout", o.KeyVaultTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// True for an absolute https URL without query or fragment (http only on a loopback host): Twilio's API base URLs
    /// here, and the status webhook's public base URL, which has a path appended.
    /// </summary>
    public static bool IsValidBaseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && IsSafeScheme(uri) && uri.Query.Length == 0 && uri.Fragment.Length == 0;

    private static void CheckBaseUrl(List<string> failures, string field, string? value)
    {
        if (!IsValidBaseUrl(value))
        {
            failures.Add($"{S}:{field} must be an absolute https URL without query (http only on a loopback host).");
        }
    }

    private static void CheckRange(List<string> failures, string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{S}:{field} must be between {min} and {max}.");
        }
    }

    // Plain http would put credentials (Basic auth) or callbacks on the wire unencrypted; loopback is for tests.
    private static bool IsSafeScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$")]
    private static partial Regex ApiKeySidPattern();

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex MessagingServiceSidPattern();

    [GeneratedRegex(@"^(\+[1-9][0-9]{6,14}|[0-9]{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$")]
    private static partial Regex SenderPattern();
}
