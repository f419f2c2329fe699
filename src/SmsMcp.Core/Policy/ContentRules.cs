using System.Text.RegularExpressions;

namespace SmsMcp.Core.Policy;

/// <summary>
/// A profile's content rules. Shorteners, IP literals, look-alike hosts, <c>user@host</c> links and invisible
/// or direction-control characters are refused whatever these say.
/// </summary>
public sealed record ContentRules(int MaxSegments, UrlMode Urls, IReadOnlyList<string> AllowedDomains, IReadOnlyList<Regex> DenyPatterns)
{
    /// <summary>Default maximum segments per message when a profile does not say.</summary>
    public const int DefaultMaxSegments = 10;

    /// <summary>Largest allowed maximum: 1600 UCS-2 characters take 24 segments.</summary>
    public const int MaxMaxSegments = 24;

    /// <summary>Default match timeout of operator deny patterns, in milliseconds.</summary>
    public const int DefaultPatternTimeoutMs = 100;

    /// <summary>Largest allowed deny-pattern timeout, in milliseconds.</summary>
    public const int MaxPatternTimeoutMs = 2000;

    /// <summary>Deny-by-default rules: default segments, no links, no patterns.</summary>
    public static ContentRules Default { get; } = new(DefaultMaxSegments, UrlMode.Deny, [], []);
}
