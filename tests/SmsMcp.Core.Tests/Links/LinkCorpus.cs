using System.Globalization;
using System.Text;
using SmsMcp.Core.Policy;

namespace SmsMcp.Core.Tests.Links;

/// <summary>
/// A generated corpus of message bodies for the link rules: every kind of link the rules refuse, glued after and
/// before characters of every Unicode letter, number, punctuation and symbol class, wrapped in every bracket and
/// quote pair; and ordinary prose with no link at all.
/// </summary>
internal static class LinkCorpus
{
    /// <summary>Links of every kind the rules refuse, as a hostile model would write them.</summary>
    public static readonly string[] Links =
    [
        "https://evil.example/login", "http://evil.com", "HTTPS://EVIL.COM/X", "evil.com", "evil.com/login", "www.evil.com",
        "evil.co.uk/path?x=1#frag", "sub.evil.org:8080/x", "bit.ly/abc", "https://tinyurl.com/x", "http://192.168.0.1/a",
        "192.168.0.1", "10.0.0.1:22", "http://[::1]/x", "http://2130706433", "https://bank.example@evil.example",
        "google.com@evil.com/login", "alice@evil.com", "xn--pypal-4ve.com", "https://exаmple.com", "//evil.com/x",
        "ftp://files.example.org", "evil.info", "my-site.net", "t.co/x", "mailto:alice@evil.com", "tel:+12025550123",
        "sms:+12025550123", "wss://evil.com/socket", "evil.com?x", "evil.com#x", "x.io",
    ];

    /// <summary>Ordinary text with no link, in several scripts, with numbers, times, prices and emoji.</summary>
    public static readonly string[] Prose =
    [
        "Meeting moved to 10:30, see you there.", "Pi is 3.14 and version 1.2.3 shipped.", "Cost: $3.50 (tax incl.)",
        "e.g. this, i.e. that", "Call me at +1 202 555 0123 after 5pm!", "Grüße, ça va? ñ 日本語のテキスト", "Привет, как дела?",
        "مرحبا بك", "Family 👨‍👩‍👧 and ❤️ love", "Done — thanks!", "Score: 3-2; next game Sat.", "50% off — today only",
        "Your code is 482913", "Ratio 16:9, temp 21°C", "«Bonjour» dit-il.", "「こんにちは」と言った。", "Q3 results: +12%",
        "Line one\nLine two", "ok...", "A/B test #4 passed", "Item (a) and item [b]", "He said \"hi\" and left",
        "Room 4B, floor 2", "rock'n'roll", "10/12/2026", "¿Qué tal? ¡Bien!", "Tea at 4 o'clock?", "win-win & co-op",
    ];

    /// <summary>Up to <paramref name="perCategory"/> code points of every letter, number, punctuation, symbol and space-separator category, spread over each category.</summary>
    public static IReadOnlyList<string> GlueCharacters(int perCategory)
    {
        var byCategory = new Dictionary<UnicodeCategory, List<int>>();
        for (var cp = 0x21; cp <= 0x1FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || HiddenCharacters.IsDefaultIgnorable(cp))
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                continue;
            }

            (byCategory.TryGetValue(category, out var list) ? list : byCategory[category] = []).Add(cp);
        }

        var picked = new List<string>();
        foreach (var list in byCategory.Values)
        {
            // Every ASCII character of the category, then an even spread of the rest.
            picked.AddRange(list.Where(cp => cp < 0x80).Select(char.ConvertFromUtf32));
            var rest = list.Where(cp => cp >= 0x80).ToList();
            var step = Math.Max(1, rest.Count / perCategory);
            picked.AddRange(rest.Where((_, i) => i % step == 0).Take(perCategory).Select(char.ConvertFromUtf32));
        }

        return picked;
    }

    /// <summary>Every opening bracket (Ps) with the closing one after it, every initial quote (Pi) with a final one (Pf), and ASCII wrappers.</summary>
    public static IReadOnlyList<(string Open, string Close)> Wrappers()
    {
        var pairs = new List<(string, string)> { ("\"", "\""), ("'", "'"), ("`", "`"), ("*", "*"), ("_", "_"), ("~", "~"), ("<", ">"), ("|", "|") };
        for (var cp = 0x21; cp <= 0x1FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category == UnicodeCategory.OpenPunctuation && CharUnicodeInfo.GetUnicodeCategory(cp + 1) == UnicodeCategory.ClosePunctuation)
            {
                pairs.Add((char.ConvertFromUtf32(cp), char.ConvertFromUtf32(cp + 1)));
            }
            else if (category == UnicodeCategory.InitialQuotePunctuation)
            {
                pairs.AddRange(new[] { 0x00BB, 0x2019, 0x201D, 0x203A, 0x2E03 }.Select(close => (char.ConvertFromUtf32(cp), char.ConvertFromUtf32(close))));
            }
        }

        return pairs;
    }

    /// <summary>The corpus: each body with the link it was built around (null for prose).</summary>
    public static IReadOnlyList<(string Body, string? Link)> Build(int perCategory)
    {
        var bodies = new List<(string, string?)>();
        var glue = GlueCharacters(perCategory);
        foreach (var link in Links)
        {
            bodies.Add((link, link));
            foreach (var g in glue)
            {
                bodies.Add((g + link, link));
                bodies.Add(("Hi " + g + link + " now", link));
                bodies.Add((link + g, link));
            }

            foreach (var (open, close) in Wrappers())
            {
                bodies.Add((open + link + close, link));
                bodies.Add(("See" + open + link + close + "ok", link));
            }

            foreach (var prefix in new[] { "Link:", "url=", "x/", "\\\\", "#", "?", "/", "—", "–", "：", "😀", "👉", "…", "•", "→" })
            {
                bodies.Add((prefix + link, link));
            }
        }

        foreach (var prose in Prose)
        {
            bodies.Add((prose, null));
            foreach (var g in glue.Where((_, i) => i % 7 == 0))
            {
                bodies.Add((prose + g, null));
                bodies.Add((g + prose, null));
            }
        }

        return bodies;
    }

    /// <summary>One JSON string per line, as the oracle script reads them.</summary>
    public static string ToJsonLines(IEnumerable<string> bodies)
    {
        var text = new StringBuilder();
        foreach (var body in bodies)
        {
            text.Append(System.Text.Json.JsonSerializer.Serialize(body)).Append('\n');
        }

        return text.ToString();
    }
}
