namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// What a detector saw: a <see cref="Rule"/> firing for a <see cref="Scope"/> (<c>caller:x</c>, <c>caller:x:region:GB</c>,
/// <c>global</c>). Rule and scope are the incident's dedupe key. <see cref="Summary"/> and <see cref="Facts"/> hold counts,
/// regions, caller ids and pseudonyms only — never a number, a body or other caller-supplied text.
/// </summary>
public sealed record Finding(string Rule, string Scope, string? CallerId, string Summary, IReadOnlyDictionary<string, string> Facts)
{
    /// <summary>The incident key: stable across scans and instances, and a valid table row key.</summary>
    public string Key => Rule + "|" + Scope;

    public static string CallerScope(string callerId) => "caller:" + callerId;
}
