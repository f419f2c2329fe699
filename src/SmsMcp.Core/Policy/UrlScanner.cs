using System.Globalization;
using System.Text;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Finds links in a body the way a phone or messaging app would linkify them — and a little more eagerly, because a
/// missed link is a phishing message while a false positive is only a rephrase. A link may start anywhere, not only
/// at a word: after any punctuation, symbol, emoji, dash, full-width character or bracket and quote (<c>Link:https://…</c>,
/// <c>“bit.ly/x”</c>, <c>x/192.0.2.1</c>, <c>url=…</c>, <c>—evil.example</c>), and a scheme or host glued to the
/// letters before it counts with them (<c>Seehttps://…</c>, <c>Visitevil.example</c>). Catches links without a scheme
/// (<c>example.com/x</c>, <c>www.x</c>), look-alike hosts (non-ASCII, punycode, percent-encoded, full-width dots), IP
/// literals (dotted, decimal, hex, octal, IPv6), <c>user@host</c> disguises, shorteners and <c>tel:</c>/<c>sms:</c> links.
/// </summary>
/// <remarks>
/// How: every place a link could begin — the start of the text and every character after one that cannot be part of
/// a host (anything but letters, digits, marks, <c>-</c>, <c>_</c> and dots) — starts a candidate that runs to the
/// next whitespace, bracket, quote or non-ASCII punctuation or symbol, and each candidate is judged on its own; the
/// first refusal wins. Starting more candidates can only refuse more. Inside a link the profile allows, no new
/// candidate starts (its path is part of it, as on a phone). Known gaps: hosts split by spaces or "defanged"
/// (<c>example[.]com</c>) are not recognised as links.
/// </remarks>
public sealed class UrlScanner(UrlShorteners shorteners)
{
    private static readonly char[] TrimmedAtStart = ['\'', '.', ',', ';', '!', '?', '*', '_', '~', '\u3002', '\uFF0E', '\uFF61'];

    // A trailing ':' is punctuation ("see example.com:"); a leading one may start an IPv6 literal ("::1").
    private static readonly char[] TrimmedAtEnd = [.. TrimmedAtStart, ':'];
    private static readonly string[] ActiveSchemes = ["javascript:", "data:", "vbscript:", "file:"];
    private static readonly string[] WebSchemes = ["http:", "https:", "hxxp:", "hxxps:", "ftp:", "ftps:", "ws:", "wss:"];

    /// <summary>Schemes phones turn into a call, a text or a video call: links to a number instead of a host.</summary>
    private static readonly string[] PhoneSchemes = ["tel:", "sms:", "smsto:", "mms:", "mmsto:", "callto:", "facetime:", "facetime-audio:"];

    /// <summary>The first refusal a link in <paramref name="body"/> earns under <paramref name="rules"/>, or null.</summary>
    public Refusal? Find(string body, ContentRules rules)
    {
        var kinds = Kinds(body);
        var schemeStarts = SchemeStarts(body);
        var insideAllowedLink = 0;
        for (var start = 0; start < body.Length; start++)
        {
            if (start < insideAllowedLink || kinds[start] == CharKind.End
                || start > 0 && kinds[start - 1] == CharKind.Host && !schemeStarts.Contains(start) && !IsNumberAfterDot(body, start))
            {
                continue;
            }

            if (kinds[start] == CharKind.Inner && Array.IndexOf(TrimmedAtStart, body[start]) >= 0)
            {
                continue; // trimmed anyway: the candidate starting at the next character is this one
            }

            var token = body.AsSpan(start, AuthorityEnd(body, kinds, start) - start).TrimStart(TrimmedAtStart).TrimEnd(TrimmedAtEnd).ToString();
            if (token.Length == 0)
            {
                continue;
            }

            if (Classify(token, rules, out var allowedLink) is { } refusal)
            {
                return refusal;
            }

            if (allowedLink)
            {
                insideAllowedLink = TokenEnd(body, kinds, start);
            }
        }

        return null;
    }

    /// <summary>
    /// Where a scheme before "://" (or ":\\") begins, even glued to the letters before it ("See_http://", "Xhttps://"): the
    /// ASCII letters, digits, '+', '-' and '.' before the colon, from the first letter among them.
    /// </summary>
    private static HashSet<int> SchemeStarts(string body)
    {
        var starts = new HashSet<int>();
        for (var colon = body.IndexOf(':', StringComparison.Ordinal); colon > 0; colon = body.IndexOf(':', colon + 1))
        {
            if (colon + 2 >= body.Length || body[colon + 1] is not ('/' or '\\') || body[colon + 2] is not ('/' or '\\'))
            {
                continue;
            }

            var start = colon;
            while (start > 0 && (char.IsAsciiLetterOrDigit(body[start - 1]) || body[start - 1] is '+' or '-' or '.'))
            {
                start--;
            }

            while (start < colon && !char.IsAsciiLetter(body[start]))
            {
                start++;
            }

            if (start < colon)
            {
                starts.Add(start);
            }
        }

        return starts;
    }

    /// <summary>
    /// How much of a candidate <see cref="Classify"/> reads: its scheme and authority, up to the first '/', '\\', '?' or
    /// '#' after them (what follows is a path, which decides nothing). Keeps the work per candidate small, since a
    /// candidate starts at almost every character of a body full of punctuation.
    /// </summary>
    private static int AuthorityEnd(string body, CharKind[] kinds, int start)
    {
        var open = 0;
        var afterScheme = start;
        var i = start;
        for (; i < body.Length && kinds[i] != CharKind.End; i++)
        {
            switch (body[i])
            {
                case ':' when afterScheme == start && i + 2 < body.Length && body[i + 1] is '/' or '\\' && body[i + 2] is '/' or '\\':
                    afterScheme = i + 3;
                    i += 2;
                    break;
                case '/' or '\\' or '?' or '#' when i >= afterScheme:
                    return i;
                case '[':
                    open++;
                    break;
                case ']' when open-- == 0:
                    return i;
            }
        }

        return i;
    }

    /// <summary>A digit right after a '.' ("Sat.192.0.2.1"): an address may start there.</summary>
    private static bool IsNumberAfterDot(string body, int start) => char.IsAsciiDigit(body[start]) && body[start - 1] is '.' or '\u3002' or '\uFF0E' or '\uFF61';

    private enum CharKind : byte
    {
        /// <summary>Part of a host name: letters, digits and marks of any script, '-', '_' and dots (full-width too).</summary>
        Host,

        /// <summary>Ends a candidate link: whitespace, controls, brackets, quotes, non-ASCII punctuation and symbols.</summary>
        End,

        /// <summary>ASCII punctuation a link may hold ('/', ':', '@', '%', '?', '#', '=', ...): a link may also start after it.</summary>
        Inner,
    }

    /// <summary>The kind of every UTF-16 unit; both halves of a surrogate pair get their code point's kind.</summary>
    private static CharKind[] Kinds(string body)
    {
        var kinds = new CharKind[body.Length];
        for (var i = 0; i < body.Length;)
        {
            var length = 1;
            CharKind kind;
            if (Rune.DecodeFromUtf16(body.AsSpan(i), out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                length = consumed;
                kind = KindOf(rune);
            }
            else
            {
                kind = CharKind.End;
            }

            kinds.AsSpan(i, length).Fill(kind);
            i += length;
        }

        return kinds;
    }

    private static CharKind KindOf(Rune rune)
    {
        if (rune.IsAscii)
        {
            var c = (char)rune.Value;
            return char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? CharKind.Host
                : c <= ' ' || c is '<' or '>' or '"' or '`' or '{' or '}' or '|' or '^' or '(' or ')' or ',' or '\u007F' ? CharKind.End
                : CharKind.Inner;
        }

        if (rune.Value is 0x3002 or 0xFF0E or 0xFF61 or 0x2024 or 0xFE52)
        {
            return CharKind.Host; // dots that phones and browsers read as '.'
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharKind.Host,
            _ => CharKind.End,
        };
    }

    /// <summary>Where the candidate starting at <paramref name="start"/> ends: the next <see cref="CharKind.End"/>, or an unopened ']'.</summary>
    private static int TokenEnd(string body, CharKind[] kinds, int start)
    {
        var open = 0;
        var i = start;
        for (; i < body.Length && kinds[i] != CharKind.End; i++)
        {
            if (body[i] == '[')
            {
                open++;
            }
            else if (body[i] == ']' && open-- == 0)
            {
                break;
            }
        }

        return i;
    }

    /// <summary>The refusal <paramref name="token"/> earns; <paramref name="allowedLink"/> says it is a link the profile allows.</summary>
    private Refusal? Classify(string token, ContentRules rules, out bool allowedLink)
    {
        allowedLink = false;
        if (ActiveSchemes.Any(s => token.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            || PhoneSchemes.Any(s => token.Length > s.Length && token.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
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
            if (host.Length == 0 && !explicitLink)
            {
                // "evil.com@": nothing after the '@', so what stands before it is the host, as linkifiers read it.
                host = user;
                hasUserInfo = false;
            }
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
        var ellipsis = host.LastIndexOf("..", StringComparison.Ordinal);
        if (ellipsis >= 0)
        {
            host = host[(ellipsis + 2)..]; // "ok...evil.com": a host starts after an ellipsis
        }

        if (host.Length == 0)
        {
            return explicitLink ? Refusal.UrlNotAllowed : null;
        }

        // An address with something glued after it ("192.0.2.1%", "192.0.2.1'ok") is linked up to where it ends.
        var ip = IsIpLiteral(string.Concat(host.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c == '.')).TrimEnd('.'), explicitLink)
            || IsIpLiteral(string.Concat(host.TakeWhile(c => char.IsAsciiDigit(c) || c == '.')).TrimEnd('.'), explicitLink: false);
        // A host with ASCII punctuation glued after it ("evil.com*e.g.") is linked up to there; only detection reads the
        // shorter host: the allow-list still judges the whole one, so glue never makes a link allowed.
        if (!explicitLink && !ip && !LooksLikeDomain(host) && !LooksLikeDomain(string.Concat(host.TakeWhile(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))))
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

        allowedLink = rules.Urls == UrlMode.AllowList && rules.AllowedDomains.Any(d => lower == d || lower.EndsWith("." + d, StringComparison.Ordinal));
        return allowedLink ? null : Refusal.UrlNotAllowed;
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

    /// <summary>A host whose last label is a plausible top-level domain (starts with two or more letters, or punycode).</summary>
    private static bool LooksLikeDomain(string host)
    {
        var labels = host.Split(['.', '\u3002', '\uFF0E', '\uFF61', '\u2024', '\uFE52']);
        if (labels.Length < 2 || labels.Any(l => l.Length == 0))
        {
            return false;
        }

        // The top-level domain is the letters the last label starts with: whatever is glued after them ("evil.com-",
        // "evil.com%x", a digit of another script) does not stop a linkifier from linking the host before it.
        var tld = labels[^1];
        return tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase) || tld.TakeWhile(char.IsLetter).Count() >= 2;
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
