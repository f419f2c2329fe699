using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>
/// One notice about one incident. <see cref="Id"/> is derived from the incident key and when it opened, so every
/// retry and every channel carries the same id (a receiver can drop duplicates by it). Carries counts, regions,
/// caller ids and pseudonyms only: never a raw number or a body.
/// </summary>
public sealed record Alert(
    AlertKind Kind,
    string Rule,
    string Scope,
    string? CallerId,
    string Summary,
    IReadOnlyDictionary<string, string> Facts,
    bool Critical,
    bool CallerSuspended,
    DateTimeOffset OpenedAt,
    DateTimeOffset At)
{
    public string Key => Rule + "|" + Scope;

    public string Id => "alert_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Key}|{OpenedAt.UtcTicks}")))[..24]
        + (Kind == AlertKind.Opened ? "_open" : "_resolved");

    /// <summary>One line for a chat title or an SMS: severity, rule, what happened, and what was done.</summary>
    public string Headline => Kind == AlertKind.Resolved
        ? $"[resolved] {Rule} ({Scope}): no longer seen.{(CallerSuspended ? " The caller stays suspended until an operator resumes it." : "")}"
        : $"[{(Critical ? "critical" : "warning")}] {Rule} ({Scope}): {Summary}{(CallerSuspended ? " The caller was suspended." : "")}";
}
