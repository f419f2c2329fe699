using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>
/// Hostile and malformed sends, each with the one reason code it must earn. Callers: <c>dev</c> (the shipped
/// development profile: demo + fictional range, US/CA, no links, 10 segments), <c>linker</c> (links to
/// example.com only, deny patterns, 2 segments), <c>single</c> (1 segment), <c>slow</c> (a catastrophic deny
/// pattern with a 1 ms timeout).
/// </summary>
public static class HostileSendCorpus
{
    public const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123", "groups": ["demo"] } },
          "profiles": {
            "development": {
              "allow": { "recipients": ["demo"], "patterns": ["+1NXX55501XX"] },
              "countries": ["US", "CA"],
              "content": { "maxSegments": 10, "urls": { "mode": "deny" } }
            },
            "links": {
              "allow": { "groups": ["demo"] },
              "countries": ["US"],
              "content": {
                "maxSegments": 2,
                "urls": { "mode": "allowList", "domains": ["example.com"] },
                "denyPatterns": ["(?i)password", "(?i)\\bwire\\s+transfer\\b", "(?i)gift\\s*cards?"]
              }
            },
            "single": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "content": { "maxSegments": 1 } },
            "slow": {
              "allow": { "recipients": ["demo"] },
              "countries": ["US"],
              "content": { "denyPatterns": ["^(\\w+\\s?)*$"], "denyPatternTimeoutMs": 1 }
            }
          },
          "callers": { "dev": "development", "linker": "links", "single": "single", "slow": "slow" }
        }
        """;

    public static IReadOnlyList<HostileSend> Cases { get; } = Build();

    private static List<HostileSend> Build()
    {
        var cases = new List<HostileSend>();
        void Number(string label, string to, string code) => cases.Add(new(label, "dev", to, "hi", code));
        void Body(string label, string body, string code, string caller = "dev") => cases.Add(new(label, caller, "demo", body, code));

        // Numbers in every odd format: the demo number written wrongly is never "close enough".
        foreach (var (label, to) in new[]
        {
            ("spaces", "+1 202 555 0123"), ("dashes", "+1-202-555-0123"), ("dots", "+1.202.555.0123"), ("parens", "+1 (202) 555-0123"),
            ("national", "(202) 555-0123"), ("no plus", "12025550123"), ("00 prefix", "0012025550123"), ("011 prefix", "01112025550123"),
            ("double plus", "++12025550123"), ("plus zero", "+012025550123"), ("extension x", "+12025550123x12"), ("extension ext", "+12025550123ext12"),
            ("extension rfc3966", "+12025550123;ext=1"), ("pause comma", "+12025550123,1"), ("wait w", "+12025550123w1"), ("hash", "+12025550123#"),
            ("star", "*+12025550123"), ("fullwidth digits", "+１２０２５５５０１２３"), ("arabic-indic digits", "+١٢٠٢٥٥٥٠١٢٣"),
            ("persian digits", "+۱۲۰۲۵۵۵۰۱۲۳"), ("devanagari digits", "+१२०२५५५०१२३"), ("fullwidth plus", "＋12025550123"),
            ("math bold digits", "+𝟏𝟐𝟎𝟐𝟓𝟓𝟓𝟎𝟏𝟐𝟑"), ("superscript", "+¹²⁰²⁵⁵⁵⁰¹²³"), ("letter O for zero", "+1202555O123"),
            ("letter l for one", "+l2025550123"), ("zero-width space", "+1202\u200B5550123"), ("rlo prefix", "\u202E+12025550123"),
            ("lrm suffix", "+12025550123\u200E"), ("nbsp", "+1\u00A02025550123"), ("soft hyphen", "+1202\u00AD5550123"),
            ("non-breaking hyphen", "+1\u2011202\u20115550123"), ("minus sign", "+1\u2212202"), ("bom", "\uFEFF+12025550123"),
            ("nul", "+12025550123\0"), ("too short", "+1202555"), ("one digit", "+1"), ("plus only", "+"),
            ("too long", "+1202555012345678"), ("nanp 11 digits", "+120255501234"), ("nanp 9 digits", "+1202555012"),
            ("area code 0", "+10025550123"), ("area code 1", "+11025550123"), ("n11 area code", "+12115550123"),
            ("exchange 0", "+12020550123"), ("exchange 1", "+12021550123"), ("uk too short", "+442079"),
            ("uk too long", "+4420794609581234"), ("leading zero code", "+0441234567"), ("negative", "-12025550123"), ("decimal", "+12025550123.0"), ("slash", "+1/202/555/0123"),
            ("uk trunk zero kept", "+4407911123456"), ("de trunk zero kept", "+4903012345678"),
            // Unassigned or fictional ranges: libphonenumber holds them invalid, so they fail closed before any class or country rule.
            ("nanp 976 (no such area code)", "+19765550123"), ("uk drama range", "+447700900123"), ("bahamas 555-01xx", "+12425550123"),
            ("antigua 555-01xx", "+12685550123"), ("trinidad 555-01xx", "+18685550123"), ("bermuda 555-01xx", "+14415550123"),
            ("sint maarten 555-01xx", "+17215550123"), ("cayman 555-01xx", "+13455550123"), ("international network 882 unassigned", "+88213123456"),
        })
        {
            Number($"number {label}", to, ReasonCodes.InvalidNumber);
        }

        // Special-rate and satellite destinations: blocked by class before anything else is considered.
        foreach (var (label, to) in new[]
        {
            ("nanp 900", "+19005550123"), ("nanp 900 fictional-looking", "+19005550150"),
            ("nanp 800", "+18005550123"), ("nanp 888", "+18885550123"), ("nanp 877", "+18775550123"), ("nanp 866", "+18665550123"),
            ("nanp 855", "+18555550123"), ("nanp 844", "+18445550123"), ("nanp 833", "+18335550123"),
            ("uifn 800", "+80012345678"), ("shared cost 808", "+80812345678"), ("premium 979", "+979123456789"),
            ("inmarsat 870", "+870772001799"), ("gmss 881", "+881612345678"), ("iridium 8816", "+881631234567"),
            ("international network 882", "+8823421234"), ("international network 883", "+883510012345"),
            ("upt 878", "+878101234567890"), ("disaster relief 888", "+88812345678901"), ("jp uan 0570", "+81570123456"), ("ng uan 0700", "+2347001234567"),
            ("uk premium 09", "+449098790000"), ("uk shared cost 0845", "+448451234567"), ("uk shared cost 0870", "+448701234567"),
            ("uk personal 070", "+447012345678"), ("uk freephone 0800", "+448001234567"), ("de premium 0900", "+499001234567"),
        })
        {
            Number($"destination {label}", to, ReasonCodes.NumberClassBlocked);
        }

        // Ordinary numbers in countries outside US/CA, including NANP members and fictional-looking Caribbean numbers.
        foreach (var (label, to) in new[]
        {
            ("uk mobile", "+447400123456"), ("guernsey mobile", "+447911123456"), ("uk london", "+442079460958"), ("germany", "+4915112345678"),
            ("france", "+33612345678"), ("india", "+919812345678"), ("nigeria", "+2348031234567"), ("russia", "+79161234567"),
            ("australia", "+61412345678"), ("brazil", "+5511912345678"), ("jamaica 555-01xx", "+18765550123"), ("dominican rep", "+18095550123"),
            ("bahamas", "+12423456789"), ("puerto rico", "+17875550123"), ("guam", "+16715550123"), ("antigua", "+12684601234"),
            ("trinidad", "+18682211234"), ("bermuda", "+14414123456"), ("sint maarten", "+17215425678"), ("cayman", "+13452221234"),
            ("uk voip", "+445612345678"), ("christmas island", "+61891641234"), ("kazakhstan", "+77123456789"),
        })
        {
            Number($"country {label}", to, ReasonCodes.CountryNotAllowed);
        }

        // Valid US/CA numbers outside the allowlist, and aliases that do not exist.
        foreach (var to in new[]
        {
            "+12025550200", "+12025550099", "+12025551234", "+13125550200", "+14155552671", "+12125550000", "+14165550200",
            "+16045550200", "+12025550010", "+12025550300", "+12025559999", "+13125550999",
        })
        {
            Number($"unlisted {cases.Count}", to, ReasonCodes.RecipientNotAllowed);
        }

        foreach (var alias in new[] { "1.2025550123e10", "mom", "boss", "admin", "root", "demo2", "d-e-m-o", "ops", "oncall", "demo.", "_demo", "everyone", "all" })
        {
            cases.Add(new($"unknown alias {alias}", "dev", alias, "hi", ReasonCodes.RecipientNotAllowed));
        }

        foreach (var (label, to) in new[]
        {
            ("empty", ""), ("blank", "   "), ("null", null), ("inner space", "de mo"), ("bang", "demo!"), ("accent", "démo"),
            ("fullwidth alias", "ｄｅｍｏ"), ("zero-width in alias", "dem\u200Bo"), ("cherokee look-alike", "Ꭰemo"), ("cyrillic e", "dеmo"),
            ("rlo in alias", "demo\u202E"), ("path", "../demo"), ("injection", "demo;drop"), ("too long", new string('a', 65)),
            ("email", "user@example.com"), ("tel uri", "tel:+12025550123"), ("sms uri", "sms:demo"), ("nul", "demo\0"),
        })
        {
            cases.Add(new($"recipient {label}", "dev", to, "hi", ReasonCodes.InvalidRecipient));
        }

        foreach (var caller in new[] { "stranger", "DEV", "dev2", "anonymous", "admin", "tester" })
        {
            cases.Add(new($"caller {caller}", caller, "demo", "hi", ReasonCodes.CallerNotPermitted));
        }

        // Bodies.
        Body("body empty", "", ReasonCodes.EmptyBody);
        cases.Add(new("body null", "dev", "demo", null, ReasonCodes.EmptyBody));
        Body("body 1601 gsm", new string('a', 1601), ReasonCodes.BodyTooLong);
        Body("body 1601 euro", new string('€', 1601), ReasonCodes.BodyTooLong);
        Body("body 801 emoji", string.Concat(Enumerable.Repeat("😀", 801)), ReasonCodes.BodyTooLong);
        Body("body 5000", new string('x', 5000), ReasonCodes.BodyTooLong);
        Body("body 1601 ucs2", new string('ж', 1601), ReasonCodes.BodyTooLong);

        foreach (var c in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C")
        {
            Body($"bidi U+{(int)c:X4} inside", $"Pay {c}the invoice", ReasonCodes.BidiControl);
            Body($"bidi U+{(int)c:X4} at end", $"hello{c}", ReasonCodes.BidiControl);
        }

        Body("bidi trojan source", "Access level: \u202Euser\u2066 // admin", ReasonCodes.BidiControl);

        foreach (var (label, text) in new[]
        {
            ("zwsp", "\u200B"), ("zwnj", "\u200C"), ("zwj between letters", "\u200D"), ("word joiner", "\u2060"), ("bom", "\uFEFF"),
            ("soft hyphen", "\u00AD"), ("mongolian vowel separator", "\u180E"), ("cgj", "\u034F"), ("hangul filler", "\u3164"),
            ("hangul choseong filler", "\u115F"), ("hangul jungseong filler", "\u1160"), ("halfwidth hangul filler", "\uFFA0"),
            ("braille blank", "\u2800"), ("nul", "\0"), ("bell", "\u0007"), ("escape", "\u001B"), ("del", "\u007F"), ("nel", "\u0085"),
            ("vertical tab", "\u000B"), ("form feed", "\u000C"), ("line separator", "\u2028"), ("paragraph separator", "\u2029"),
            ("private use", "\uE000"), ("lone high surrogate", "\uD83D"), ("lone low surrogate", "\uDE00"), ("tag a", "\U000E0041"),
            ("tag smuggling", "\U000E0069\U000E0067\U000E006E"), ("supplementary private use", "\U000F0000"), ("invisible times", "\u2062"),
            ("function application", "\u2061"), ("inhibit swapping", "\u206A"), ("interlinear annotation", "\uFFF9"),
            ("musical format", "\U0001D173"), ("khmer inherent vowel", "\u17B4"), ("mongolian fvs", "\u180B"), ("unassigned", "\u0378"),
        })
        {
            Body($"invisible {label}", $"Hi{text}there", ReasonCodes.InvisibleCharacters);
        }

        foreach (var (label, text) in new[]
        {
            ("https", "see https://example.com"), ("http", "http://example.com"), ("bare domain", "example.com"), ("bare with path", "example.com/x"),
            ("www", "www.example"), ("www upper", "WWW.EXAMPLE.COM"), ("scheme upper", "HTTPS://EXAMPLE.COM"), ("hxxp", "hxxp://evil.com"),
            ("ftp", "ftp://example.com"), ("javascript", "javascript:alert(1)"), ("data uri", "data:text/html,hi"), ("angle brackets", "<https://example.com>"),
            ("parens", "(example.com)"), ("quoted", "\"example.com\""), ("trailing dot", "go to example.com."), ("port", "example.com:8080/x"),
            ("email", "mail alice@example.com"), ("co.uk", "visit example.co.uk today"), ("hyphen domain", "go to my-site.net"),
            ("no slashes", "http:example.com"), ("one slash", "https:/example.com"), ("backslashes", "https:\\\\example.com"),
            ("query", "example.com?x=1"), ("fragment", "example.com#frag"), ("deep", "sub.domain.example.org/path?q=1"),
            ("localhost", "http://localhost"), ("info", "exam-ple.info"), ("long tld", "example.technology"), ("io", "x.io"),
            ("no space after stop", "Call me.Tomorrow works"), ("file", "file:///etc/passwd"), ("ws", "wss://example.com/socket"),
            ("comma separated", "a,example.com,b"), ("pipe separated", "a|example.com|b"), ("fqdn dot", "http://example.com./x"),
        })
        {
            Body($"url {label}", text, ReasonCodes.UrlNotAllowed);
        }

        foreach (var host in PipelineHarness.Shorteners.Hosts.Order(StringComparer.Ordinal))
        {
            Body($"shortener {host}", $"{host}/abc", ReasonCodes.UrlShortener);
            Body($"shortener https {host}", $"see https://{host}/abc", ReasonCodes.UrlShortener);
        }

        Body("shortener upper", "BIT.LY/abc", ReasonCodes.UrlShortener);
        Body("shortener www", "www.bit.ly/x", ReasonCodes.UrlShortener);
        Body("shortener subdomain", "go.bit.ly/x", ReasonCodes.UrlShortener);
        Body("shortener for linker", "bit.ly/x", ReasonCodes.UrlShortener, "linker");

        foreach (var (label, text) in new[]
        {
            ("cyrillic a", "https://exаmple.com"), ("bare cyrillic a", "pаypal.com"), ("punycode", "xn--pypal-4ve.com"),
            ("punycode https", "https://xn--80ak6aa92e.com"), ("fullwidth letters", "ｅｘａｍｐｌｅ.com"), ("ideographic stop", "example。com"),
            ("fullwidth stop", "example．com"), ("halfwidth stop", "example｡com"), ("percent encoded", "https://%65xample.com"),
            ("idn german", "münchen.de"), ("idn umlaut", "bücher.example"), ("all cyrillic", "аррӏе.com"), ("cyrillic with path", "https://ex\u0430mple.com/login"),
            ("cyrillic o", "gооgle.com"), ("greek", "αβγ.com"), ("cyrillic tld", "paypal.cоm"), ("punycode subdomain", "login.xn--80ak6aa92e.com"),
        })
        {
            Body($"look-alike {label}", text, ReasonCodes.UrlLookalikeHost);
        }

        Body("look-alike for linker", "https://exаmple.com", ReasonCodes.UrlLookalikeHost, "linker");

        foreach (var (label, text) in new[]
        {
            ("v4 http", "http://192.168.0.1"), ("v4 bare", "192.168.0.1"), ("v4 path", "192.168.0.1/login"), ("v4 port", "http://127.0.0.1:8080"),
            ("decimal", "http://2130706433"), ("hex", "http://0x7f000001"), ("dotted hex", "http://0x7f.0x0.0x0.0x1"), ("bare dotted hex", "0x7f.0.0.1"),
            ("octal", "http://0177.0.0.1"), ("bare octal", "0177.0000.0000.0001"), ("short form", "http://127.1"), ("v6 loopback", "http://[::1]"),
            ("v6 bare brackets", "[::1]"), ("v6 doc", "http://[2001:db8::1]/x"), ("v6 bare", "2001:db8::1"), ("v4-mapped", "::ffff:127.0.0.1"),
            ("v6 full", "fe80:0:0:0:0:0:0:1"), ("v6 mapped hex", "https://[::ffff:7f00:1]"), ("v4 ssh port", "10.0.0.1:22"), ("dns", "1.1.1.1"),
        })
        {
            Body($"ip {label}", text, ReasonCodes.UrlIpLiteral);
        }

        Body("ip for linker", "https://192.0.2.1", ReasonCodes.UrlIpLiteral, "linker");

        foreach (var (label, text) in new[]
        {
            ("at trick", "https://google.com@evil.com"), ("user and password", "http://user:pass@example.com"), ("bare at trick", "google.com@evil.com/login"),
            ("plain user", "http://a@b.com"), ("port-like user", "paypal.com:secure@evil.net"), ("www at", "www.bank.com@evil.com"),
        })
        {
            Body($"userinfo {label}", text, ReasonCodes.UrlUserinfo);
        }

        Body("userinfo for linker", "https://example.com@evil.com", ReasonCodes.UrlUserinfo, "linker");

        foreach (var (label, text) in new[]
        {
            ("other domain", "https://evil.com"), ("suffix attack", "example.com.evil.net"), ("prefix attack", "evilexample.com"),
            ("other tld", "example.co"), ("second link", "https://example.com and https://evil.com"),
        })
        {
            Body($"linker {label}", text, ReasonCodes.UrlNotAllowed, "linker");
        }

        foreach (var text in new[] { "Your password is 1234", "PASSWORD reset", "please do a wire  transfer", "buy gift cards now", "GiftCard" })
        {
            Body($"deny pattern {text}", text, ReasonCodes.ContentNotAllowed, "linker");
        }

        Body("deny pattern timeout", new string('a', 40) + "!", ReasonCodes.ContentCheckFailed, "slow");
        Body("deny pattern timeout words", string.Concat(Enumerable.Repeat("ab ", 20)) + "!", ReasonCodes.ContentCheckFailed, "slow");

        // Segment edges: GSM-7 (153 per concatenated part), extension characters count two, UCS-2 (67), emoji are two units.
        foreach (var (label, body, caller) in new[]
        {
            ("gsm 1531 for 10", new string('a', 1531), "dev"), ("euro 766 for 10", new string('€', 766), "dev"),
            ("caret 766 for 10", new string('^', 766), "dev"), ("euro mix 1531 septets", new string('€', 765) + "a", "dev"),
            ("ucs2 671 for 10", new string('ā', 671), "dev"), ("emoji 336 for 10", string.Concat(Enumerable.Repeat("😀", 336)), "dev"),
            ("gsm 307 for 2", new string('a', 307), "linker"), ("ucs2 135 for 2", new string('ж', 135), "linker"),
            ("emoji 68 for 2", string.Concat(Enumerable.Repeat("😀", 68)), "linker"), ("brace 154 for 2", new string('{', 154), "linker"),
            ("euro 153 plus one for 2", new string('€', 153) + "a", "linker"), ("gsm 160 then emoji for 2", new string('a', 160) + "😀", "linker"),
            ("gsm 161 for 1", new string('a', 161), "single"), ("euro 81 for 1", new string('€', 81), "single"),
            ("ucs2 71 for 1", new string('ж', 71), "single"), ("emoji 35 plus a for 1", string.Concat(Enumerable.Repeat("😀", 35)) + "a", "single"),
            ("bracket 81 for 1", new string('[', 81), "single"), ("tilde 80 plus a for 1", new string('~', 80) + "a", "single"),
            ("backslash 81 for 1", new string('\\', 81), "single"), ("pipe 81 for 1", new string('|', 81), "single"),
            ("one accent forces ucs2 for 1", new string('a', 70) + "ā", "single"), ("family emoji for 1", string.Concat(Enumerable.Repeat("👨\u200D👩\u200D👧", 9)), "single"),
        })
        {
            Body($"segments {label}", body, ReasonCodes.TooManySegments, caller);
        }

        return cases;
    }
}
