namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The Twilio provider (configuration section <c>Sms:Twilio</c>), used when <c>Sms:Provider</c> is <c>Twilio</c>.
/// Validated at start; a failure names the setting, never its value.
/// </summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Sms:Twilio";

    /// <summary>Required. The account the messages are sent from: <c>AC</c> followed by 32 hex digits. Not a secret.</summary>
    public string? AccountSid { get; set; }

    /// <summary>
    /// The API key used to authenticate (preferred over the auth token): <c>SK</c> followed by 32 hex digits, with
    /// <see cref="ApiKeySecret"/>. Use a restricted key allowed only to create and fetch messages and use Lookup,
    /// so a leaked key cannot read the account's other resources or change its settings.
    /// </summary>
    public string? ApiKeySid { get; set; }

    /// <summary>Secret of <see cref="ApiKeySid"/>. Never logged and never in an error message.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>
    /// The account's auth token. Twilio signs status callbacks with it, so it is needed to accept callbacks at
    /// all (without it <c>/twilio/status</c> answers 404); it authenticates sends only when no API key is set. It
    /// grants full control of the account: prefer an API key for sending. Never logged, never in an error message.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// The sender: an E.164 number, a short code or an alphanumeric sender id. Exactly one of this and
    /// <see cref="MessagingServiceSid"/> is required. Agents can never choose it: the tool surface is fixed (no sender, callback URL, media URL or provider argument).
    /// </summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG</c> followed by 32 hex digits) that picks the sender; alternative to <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>
    /// Absolute https URL Twilio posts delivery status to (normally <c>https://&lt;host&gt;/twilio/status</c>).
    /// Default: none — no callbacks, so statuses stay as Twilio first reported them until fetched.
    /// </summary>
    public string? StatusCallbackUrl { get; set; }

    /// <summary>
    /// Base URL of the REST API: the SDK's requests to <c>api.twilio.com</c> go here, path and query kept. Default
    /// <c>https://api.twilio.com</c>. Must be https except on a loopback host (tests), so credentials never cross a network
    /// in clear text.
    /// </summary>
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// Base URL of Lookup v2 (the SDK's requests to <c>lookups.twilio.com</c>). Default <c>https://lookups.twilio.com</c>; the
    /// same https rule as <see cref="ApiBaseUrl"/>.
    /// </summary>
    public string LookupBaseUrl { get; set; } = "https://lookups.twilio.com";

    /// <summary>
    /// How long one HTTP attempt may take, from connecting to the last byte of the answer. Default 10 s (range
    /// 0.05–120 s). A send that times out is recorded as unknown and never posted again.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long connecting may take. Default 5 s; must be below <see cref="RequestTimeout"/>. A connect timeout
    /// means nothing was sent, so it is retried.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts per request, counting the first. Default 3 (range 1–10). A send is repeated only after an answer
    /// that proves nothing was created (HTTP 429) or a connection that was never made.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles per attempt, with jitter (50–100 % of it). Default 0.5 s (range 0–30 s).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The vault holding the send credential, e.g. <c>https://{vault}.vault.azure.net/</c> (https required). Default: none —
    /// the credential comes from <see cref="ApiKeySid"/>/<see cref="ApiKeySecret"/> or <see cref="AuthToken"/>. When set, the
    /// credential is read only from the vault (never from configuration, also not when the vault is down) and
    /// <see cref="ApiKeySid"/>/<see cref="ApiKeySecret"/> must not be set. The app's identity needs the "Key Vault Secrets
    /// User" role on the vault. <see cref="AuthToken"/> in configuration (or an App Service Key Vault reference) still
    /// serves status-callback signatures.
    /// </summary>
    public string? KeyVaultUri { get; set; }

    /// <summary>
    /// With <see cref="KeyVaultUri"/>: the client id (a GUID) of the user-assigned managed identity that reads the vault.
    /// Default: none — <c>DefaultAzureCredential</c> (the app's managed identity in Azure, a developer login locally),
    /// as for Table Storage.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// Which credential the vault holds: <see cref="TwilioCredentialKind.ApiKey"/> (default; secrets
    /// <see cref="KeyVaultApiKeySidSecretName"/> and <see cref="KeyVaultApiKeySecretSecretName"/>) or
    /// <see cref="TwilioCredentialKind.AuthToken"/> (secret <see cref="KeyVaultAuthTokenSecretName"/>, user <see cref="AccountSid"/>).
    /// </summary>
    public TwilioCredentialKind KeyVaultCredentialKind { get; set; } = TwilioCredentialKind.ApiKey;

    /// <summary>Vault secret holding the API key SID (<c>SK…</c>; rotating a key changes it too). Default <c>twilio-api-key-sid</c>.</summary>
    public string KeyVaultApiKeySidSecretName { get; set; } = "twilio-api-key-sid";

    /// <summary>Vault secret holding the API key secret. Default <c>twilio-api-key-secret</c>.</summary>
    public string KeyVaultApiKeySecretSecretName { get; set; } = "twilio-api-key-secret";

    /// <summary>Vault secret holding the account auth token (with <see cref="TwilioCredentialKind.AuthToken"/>). Default <c>twilio-auth-token</c>.</summary>
    public string KeyVaultAuthTokenSecretName { get; set; } = "twilio-auth-token";

    /// <summary>
    /// How long a credential read from the vault is used before it is read again. Default 10 min (range 10 s–24 h).
    /// A credential Twilio rejects (HTTP 401), or a callback token a signature failed with, is re-read whatever its age, at
    /// most once per <see cref="TwilioVaultSecrets.RetryInterval"/> (30 s) however often it is rejected. One cache serves
    /// both (<see cref="TwilioVaultSecrets"/>).
    /// </summary>
    public TimeSpan KeyVaultCacheTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long past <see cref="KeyVaultCacheTtl"/> a cached credential is still used while the vault cannot be read (a
    /// warning is logged each time). Default 1 h (range 0–24 h); 0 refuses to send as soon as the cache is stale and the
    /// vault is down. Never applies with nothing cached, nor after Twilio rejected the cached credential.
    /// </summary>
    public TimeSpan KeyVaultStaleGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deadline of one vault secret read including its retries. Default 5 s (range 0.1–60 s); past it the read failed.</summary>
    public TimeSpan KeyVaultTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one retry delay, including a server's <c>Retry-After</c>. Default 5 s (range 0–60 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
