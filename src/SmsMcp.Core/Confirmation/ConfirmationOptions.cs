namespace SmsMcp.Core.Confirmation;

/// <summary>Client-confirmation settings (configuration section <c>Confirmation</c>), used by profiles with <c>"confirm": "client"</c>.</summary>
public sealed class ConfirmationOptions
{
    public const string SectionName = "Confirmation";

    /// <summary>Shortest lifetime accepted: long enough for a loopback round trip, nothing a person could use.</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest lifetime accepted: a confirmation is a question for someone at the screen now.</summary>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Optional base64 key (at least 32 bytes) of the HMAC-SHA256 that protects the request state a confirmation
    /// travels with. Default: none, and the key is derived from <c>Audit:PseudonymizationKey</c> (HKDF with its own
    /// purpose label), which lives in Key Vault in Azure and is generated into the data directory in Development.
    /// Whoever holds it can mint confirmations: keep it in Key Vault. Never logged. Changing it voids pending ones.
    /// </summary>
    public string? StateKey { get; set; }

    /// <summary>How long the person at the client has to answer (default 5 minutes; 1 ms to 30 minutes).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}
