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
}
