using System.Collections.Frozen;

namespace SmsMcp.Core.Policy;

/// <summary>
/// A profile's carrier-lookup rules (policy <c>profiles.{name}.lookup</c>): which line types a first contact may not
/// be, the highest SMS pumping risk score (0–100) it may have, and how many billed lookups one caller may trigger per
/// UTC day.
/// </summary>
public sealed record LookupRules(LookupMode Mode, IReadOnlySet<string> BlockedLineTypes, int MaxSmsPumpingRisk, LookupFallback OnUnavailable, long MaxPerDay)
{
    /// <summary>Default lookups per caller and UTC day: generous for real first contacts, a bound on what a looping agent can spend.</summary>
    public const long DefaultMaxPerDay = 100;

    /// <summary>Highest <c>maxPerDay</c> a policy may declare.</summary>
    public const long MaxMaxPerDay = 1_000_000;

    /// <summary>Default highest accepted risk score; Twilio calls scores above 60 high risk.</summary>
    public const int DefaultMaxSmsPumpingRisk = 60;

    /// <summary>Twilio Lookup v2 line types blocked when a profile does not list its own: the ones that cost or earn per message.</summary>
    public static IReadOnlySet<string> DefaultBlockedLineTypes { get; } =
        new[] { "premium", "sharedCost", "uan", "pager", "voicemail", "tollFree" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The line type names Twilio Lookup v2 answers (<c>line_type_intelligence.type</c>).</summary>
    public static IReadOnlySet<string> KnownLineTypes { get; } = new[]
    {
        "landline", "mobile", "fixedVoip", "nonFixedVoip", "personal", "tollFree", "premium", "sharedCost", "uan", "voicemail", "pager", "unknown",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>No lookup (the default for a profile without <c>lookup</c>).</summary>
    public static LookupRules Off { get; } = new(LookupMode.Off, DefaultBlockedLineTypes, DefaultMaxSmsPumpingRisk, LookupFallback.Refuse, DefaultMaxPerDay);
}
