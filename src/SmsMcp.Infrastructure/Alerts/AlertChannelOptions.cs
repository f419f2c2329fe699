namespace SmsMcp.Infrastructure.Alerts;

/// <summary>
/// Where alerts go (configuration section <c>Watchdog:Alerts</c>). Every alert is always logged and counted on the
/// metric; each channel below is on when its setting is present. With none configured in Development, alerts go to
/// <see cref="FilePath"/> (default <c>watchdog-alerts.jsonl</c> beside the sandbox outbox).
/// </summary>
public sealed class AlertChannelOptions
{
    public const string SectionName = "Watchdog:Alerts";

    /// <summary>The signed generic webhook's URL (https outside Development).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>
    /// Name of the Key Vault secret holding the webhook signing secret (<c>whsec_</c> + base64), read through the app's
    /// identity from <see cref="KeyVaultUri"/>. Required with <see cref="WebhookUrl"/> outside Development.
    /// </summary>
    public string? WebhookSecretName { get; set; }

    /// <summary>The vault of <see cref="WebhookSecretName"/>.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity for the vault; default the app's identity chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The signing secret itself: Development only (outside it, the secret lives in Key Vault).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>A Teams Workflows webhook URL (it is a credential: set it through a Key Vault reference).</summary>
    public Uri? TeamsUrl { get; set; }

    /// <summary>A Slack incoming-webhook URL (a credential too).</summary>
    public Uri? SlackUrl { get; set; }

    /// <summary>A JSON-lines file every alert is appended to; set by default in Development when no other channel is.</summary>
    public string? FilePath { get; set; }

    /// <summary>Attempts per alert per HTTP channel (default 4).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry's delay, doubling after each (default 1 s).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public bool HasRemoteChannel => WebhookUrl is not null || TeamsUrl is not null || SlackUrl is not null;

    /// <summary>
    /// The configuration keys of the remote channels' URLs, the ones <see cref="HasRemoteChannel"/> looks at: read before
    /// binding, to decide whether the HTTP client factory is registered at all.
    /// </summary>
    internal static readonly string[] RemoteUrlKeys = [nameof(WebhookUrl), nameof(TeamsUrl), nameof(SlackUrl)];
}
