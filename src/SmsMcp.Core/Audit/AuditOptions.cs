namespace SmsMcp.Core.Audit;

/// <summary>Audit settings (configuration section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Base64 key (at least 32 bytes) for the keyed pseudonyms of numbers and bodies. Required outside
    /// Development (put it in Key Vault and reference it); in Development a random key is generated once into
    /// <c>pseudonymization.key</c> in the data directory. Changing it breaks the link between old and new pseudonyms.
    /// </summary>
    public string? PseudonymizationKey { get; set; }

    /// <summary>
    /// Optional base64 key (at least 32 bytes) for the HMAC-SHA256 seals that make the audit trail tamper-evident.
    /// Default: none, and the seal key is derived from <see cref="PseudonymizationKey"/> (HKDF with its own purpose
    /// label), so a sealing key is always present wherever the pseudonymization key is (required outside Development).
    /// Set it separately to give whoever verifies the trail a key that cannot reverse pseudonyms. Whoever holds it can
    /// forge seals: keep it in Key Vault. Changing it makes every earlier record fail verification.
    /// </summary>
    public string? SealKey { get; set; }
}
