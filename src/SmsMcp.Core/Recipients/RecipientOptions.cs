namespace SmsMcp.Core.Recipients;

/// <summary>
/// The recipient allowlist (configuration section <c>Recipients</c>). Deny by default: with nothing
/// configured no number can be texted. The policy issue replaces this with the full policy document.
/// </summary>
public sealed class RecipientOptions
{
    public const string SectionName = "Recipients";

    /// <summary>
    /// Alias → E.164 number. Agents address recipients by alias so the model never needs a raw number.
    /// Aliases are 1–64 characters of lower-case letters, digits, '-', '_' or '.'. Default: none.
    /// </summary>
    public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Also allow the fictional NANP range +1 NXX 555-0100 … 0199 (reserved for fiction, never assigned).
    /// Meant for development and demos. Default: false.
    /// </summary>
    public bool AllowFictionalNanpRange { get; set; }
}
