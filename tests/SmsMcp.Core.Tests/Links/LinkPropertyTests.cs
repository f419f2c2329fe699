using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Links;

/// <summary>
/// Properties of the link rules: a refused link stays refused however it is glued, wrapped or interleaved with other
/// text, and an allowed link stays allowed beside prose.
/// </summary>
public sealed class LinkPropertyTests
{
    private static readonly UrlScanner Scanner = new(PipelineHarness.Shorteners);

    private static readonly ContentRules AllowExample = ContentRules.Default with { Urls = UrlMode.AllowList, AllowedDomains = ["example.com"] };

    private static readonly IReadOnlyList<string> Glue = LinkCorpus.GlueCharacters(perCategory: 25);

    private static readonly IReadOnlyList<(string Open, string Close)> Wrappers = LinkCorpus.Wrappers();

    /// <summary>Text around links: characters of every class, prose words and whitespace.</summary>
    private static readonly Gen<string> Filler = Gen.OneOf(
        Gen.Elements(Glue.ToArray()),
        Gen.Elements(LinkCorpus.Prose),
        Gen.Elements(" ", "\n", "\t", "", "ok", "Hi ", "😀", "—", "：", "url=", "Link:"));

    /// <summary>A refused link glued after filler, optionally wrapped and followed by filler, the whole repeated with prose between.</summary>
    private static readonly Gen<(string Body, string Link)> Hostile =
        from link in Gen.Elements(LinkCorpus.Links)
        from before in Filler
        from after in Filler
        from wrap in Gen.OneOf(Gen.Constant(("", "")), Gen.Elements(Wrappers.ToArray()))
        from prose in Gen.Elements(LinkCorpus.Prose)
        from linkFirst in ArbMap.Default.GeneratorFor<bool>()
        let piece = before + wrap.Item1 + link + wrap.Item2 + after
        // "tel:" and "sms:" count only at a word's start, as on phones ("Hotel:5" is no link); hosts and "://" count anywhere.
        // Text glued after a link that continues its host ("evil.com" + "e.g." is "evil.come.g.") makes another string, not the same link.
        where (wrap.Item2 + after).Length == 0 || !(char.IsLetterOrDigit((wrap.Item2 + after)[0]) || (wrap.Item2 + after)[0] is '.' or '-' or '_')
        // So do bare addresses: neither oracle links "x10.0.0.1" (see LinkOracleTests).
        where !(link.StartsWith("tel:", StringComparison.Ordinal) || link.StartsWith("sms:", StringComparison.Ordinal) || char.IsAsciiDigit(link[0]))
            || (before + wrap.Item1).Length == 0 || !EndsWithLetterOrDigit(before + wrap.Item1)
        select (linkFirst ? piece + " " + prose : prose + " " + piece, link);

    private static bool EndsWithLetterOrDigit(string text) =>
        text.Length - (char.IsLowSurrogate(text[^1]) ? 2 : 1) is var last && (char.IsLetterOrDigit(text, last) || char.IsNumber(text, last) || text[last] is '.' or '-' or '_');

    [Fact]
    public void RefusedLink_GluedWrappedOrInterleaved_IsStillRefused_InBothModes() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), Prop.ForAll(Hostile.ToArbitrary(), c =>
            Scanner.Find(c.Body, ContentRules.Default) is not null && Scanner.Find(c.Body, AllowExample) is not null));

    [Fact]
    public void RefusedLink_InterleavedCharByChar_WithAllowedText_IsRefused() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(
            (from link in Gen.Elements(LinkCorpus.Links)
             from prose in Gen.Elements(LinkCorpus.Prose)
             from at in Gen.Choose(0, 1000)
             let cut = at % (prose.Length + 1)
             select prose[..cut] + " " + link + " " + prose[cut..]).ToArbitrary(),
            body => Scanner.Find(body, ContentRules.Default) is not null));

    [Fact]
    public void AllowedLink_WrappedOrBesideProse_StaysAllowed() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(
            (from link in Gen.Elements("https://example.com/docs/v1.2/index.html", "example.com", "www.example.com/x?y=1#z", "ops@example.com", "https://status.example.com/a-b_c")
             from wrap in Gen.Elements(("(", ")"), ("“", "”"), ("«", "»"), ("「", "」"), ("", ""), ("\"", "\""), ("<", ">"))
             from prose in Gen.Elements(LinkCorpus.Prose)
             select prose + " " + wrap.Item1 + link + wrap.Item2 + " " + prose).ToArbitrary(),
            body => Scanner.Find(body, AllowExample) is null));
}
