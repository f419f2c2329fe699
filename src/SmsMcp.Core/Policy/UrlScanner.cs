using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Finds links in a body the way a phone would linkify them — and a little more eagerly, because a missed
/// link is a phishing message while a false positive is only a rephrase. Catches links without a scheme
/// (<c>example.com/x</c>, <c>www.x</c>), look-alike hosts (non-ASCII, punycode, percent-encoded, full-width
/// dots), IP literals (dotted, decimal, hex, octal, IPv6), <c>user@host</c> disguises and shorteners.
/// </summary>
/// <remarks>Known gaps: hosts split by spaces or "defanged" (<c>example[.]com</c>) are not recognised as links.</remarks>
public sealed class UrlScanner(UrlShorteners shorteners)
{
    private static readonly char[] TokenSeparators = [' ', '<', '>', '"', '`', '(', ')', '{', '}', '|', '^', ','];
    private static readonly char[] TrimmedAtStart = ['\'', '.', ',', ';', '!', '?', '*', '_', '~', '\u3002', '\uFF0E', '\uFF61'];

    // A trailing ':' is punctuation ("see example.com:"); a leading one may start an IPv6 literal ("::1").
    private static readonly char[] TrimmedAtEnd = [.. TrimmedAtStart, ':'];
    private static readonly string[] ActiveSchemes = ["javascript:", "data:", "vbscript:", "file:"];
    private static readonly string[] WebSchemes = ["http:", "https:", "hxxp:", "hxxps:", "ftp:", "ftps:", "ws:", "wss:"];

    /// <summary>The first refusal a link in <paramref name="body"/> earns under <paramref name="rules"/>, or null.</summary>
    public Refusal? Find(string body, ContentRules rules)
    {
        foreach (var word in body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var piece in word.Split(TokenSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                var token = piece.TrimStart(TrimmedAtStart).TrimEnd(TrimmedAtEnd);
                if (token.Length > 0 && Classify(token, rules) is { } refusal)
                {
                    return refusal;
                }
            }
        }

        return null;
    }

    private Refusal? Classify(string token, ContentRules rules)
    {
        if (ActiveSchemes.Any(s => token.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            return Refusal.UrlNotAllowed;
        }

        var rest = token;
        var explicitLink = false;
        var slashes = SchemeEnd(token);
        if (slashes > 0)
        {
            rest = token[slashes..];
            explicitLink = true;
        }
        else if (WebSchemes.FirstOrDefault(s => token.StartsWith(s, StringComparison.OrdinalIgnoreCase)) is { } scheme)
        {
            rest = token[scheme.Length..];
            explicitLink = true;
        }
        else if (token.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            explicitLink = true;
        }

        if (!explicitLink && IsBareIPv6(token))
        {
            return Refusal.UrlIpLiteral;
        }

        var end = rest.IndexOfAny(['/', '\\', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var host = authority;
        var at = authority.LastIndexOf('@');
        var hasUserInfo = false;
        if (at >= 0)
        {
            var user = authority[..at];
            host = authority[(at + 1)..];
            // user@host with a dot, colon or encoding in the user part is the classic disguise
            // (https://bank.example@evil.example); a plain mailbox (alice@example.com) is judged by its host.
            hasUserInfo = explicitLink || user.IndexOfAny(['.', ':', '%', '/']) >= 0 || user.Any(c => c > '\u007F');
        }

        if (host.StartsWith('['))
        {
            var inner = host.TrimStart('[');
            var close = inner.IndexOf(']');
            if (IsBareIPv6(close < 0 ? inner : inner[..close]))
            {
                return Refusal.UrlIpLiteral;
            }

            host = host.Trim('[', ']');
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0 && host[(colon + 1)..].All(char.IsAsciiDigit))
        {
            host = host[..colon];
        }

        host = host.TrimEnd('.', '\u3002', '\uFF0E', '\uFF61');
        if (host.Length == 0)
        {
            return explicitLink ? Refusal.UrlNotAllowed : null;
        }

        var ip = IsIpLiteral(host, explicitLink);
        if (!explicitLink && !ip && !LooksLikeDomain(host))
        {
            return null;
        }

        if (hasUserInfo)
        {
            return Refusal.UrlUserinfo;
        }

        if (ip)
        {
            return Refusal.UrlIpLiteral;
        }

        if (host.Any(c => c > '\u007F' || c == '%') || host.Split('.').Any(l => l.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)))
        {
            return Refusal.UrlLookalikeHost;
        }

        var lower = host.ToLowerInvariant();
        if (shorteners.Contains(lower))
        {
            return Refusal.UrlShortener;
        }

        return rules.Urls == UrlMode.AllowList && rules.AllowedDomains.Any(d => lower == d || lower.EndsWith("." + d, StringComparison.Ordinal))
            ? null
            : Refusal.UrlNotAllowed;
    }

    /// <summary>Index just after "scheme://" (or the backslash form browsers accept), or 0.</summary>
    private static int SchemeEnd(string token)
    {
        var colon = token.IndexOf(':');
        if (colon < 1 || colon > 20 || !char.IsAsciiLetter(token[0]) || !token[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
        {
            return 0;
        }

        return token.Length >= colon + 3 && token[colon + 1] is '/' or '\\' && token[colon + 2] is '/' or '\\' ? colon + 3 : 0;
    }

    /// <summary>A host whose last label is a plausible top-level domain (two or more letters, or punycode).</summary>
    private static bool LooksLikeDomain(string host)
    {
        var labels = host.Split(['.', '\u3002', '\uFF0E', '\uFF61', '\u2024', '\uFE52']);
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return false;
        }

        var tld = labels[^1];
        return tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) || tld.Length >= 2 && tld.All(char.IsLetter);
    }

    /// <summary>
    /// Dotted IPv4 in decimal, hex (0x7f) or octal (0177) parts, and — when the token is plainly a link —
    /// the single-number forms (http://2130706433, http://0x7f000001) and shortened ones (http://127.1).
    /// Bare tokens need four parts or a hex part so that "3.14" stays a number.
    /// </summary>
    private static bool IsIpLiteral(string host, bool explicitLink)
    {
        var parts = host.Split('.');
        if (parts.Length > 4 || !parts.All(IsNumericPart))
        {
            return false;
        }

        return explicitLink || parts.Length == 4 || parts.Length >= 2 && parts.Any(p => p.StartsWith("0x", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsNumericPart(string part) =>
        part.Length > 0
        && (part.All(char.IsAsciiDigit)
            || part.Length > 2 && part.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && part[2..].All(char.IsAsciiHexDigit));

    /// <summary>"2001:db8::1", "::1", "fe80:0:0:0:0:0:0:1": hex groups with "::" or at least five colons.</summary>
    private static bool IsBareIPv6(string token) =>
        token.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
        && token.Any(char.IsAsciiHexDigit)
        && (token.Contains("::", StringComparison.Ordinal) || token.Count(c => c == ':') >= 5);
}
