using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmsMcp.Core.Tests.Links;

/// <summary>
/// The link rules against two well-kept linkifiers as oracles, over a large generated corpus: whatever either finds a
/// link in, the rules refuse (no misses). Agreement counts and over-matches are written to the test output.
/// </summary>
public sealed class LinkOracleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GeneratedCorpus_EveryBodyAnOracleLinkifies_IsRefused()
    {
        var corpus = LinkCorpus.Build(perCategory: 40);
        var bodies = corpus.Select(c => c.Body).ToList();
        Assert.True(bodies.Count >= 20_000, $"{bodies.Count} bodies");

        var oracle = await LinkOracle.FindAsync(bodies);
        var scanner = new UrlScanner(PipelineHarness.Shorteners);
        var refused = bodies.Select(b => scanner.Find(b, ContentRules.Default) is not null).ToArray();

        var misses = Enumerable.Range(0, bodies.Count).Where(i => (oracle[i].LinkifyIt || oracle[i].Linkifyjs) && !refused[i]).ToList();
        int Count(Func<int, bool> predicate) => Enumerable.Range(0, bodies.Count).Count(predicate);
        output.WriteLine($"bodies {bodies.Count} (built around a link {corpus.Count(c => c.Link is not null)}, prose {corpus.Count(c => c.Link is null)})");
        output.WriteLine($"linkify-it finds a link in {Count(i => oracle[i].LinkifyIt)}, linkifyjs in {Count(i => oracle[i].Linkifyjs)}, either in {Count(i => oracle[i].LinkifyIt || oracle[i].Linkifyjs)}");
        output.WriteLine($"we refuse {Count(i => refused[i])}; agree with linkify-it on {Count(i => refused[i] == oracle[i].LinkifyIt)}, with linkifyjs on {Count(i => refused[i] == oracle[i].Linkifyjs)}");
        output.WriteLine($"misses (an oracle links, we pass) {misses.Count}; over-matches (we refuse, neither oracle links) {Count(i => refused[i] && !oracle[i].LinkifyIt && !oracle[i].Linkifyjs)}");
        output.WriteLine($"links neither oracle sees but we refuse: {Count(i => corpus[i].Link is not null && refused[i] && !oracle[i].LinkifyIt && !oracle[i].Linkifyjs)}; prose we refuse: {Count(i => corpus[i].Link is null && refused[i])}, prose an oracle links: {Count(i => corpus[i].Link is null && (oracle[i].LinkifyIt || oracle[i].Linkifyjs))}");
        foreach (var i in Enumerable.Range(0, bodies.Count).Where(i => refused[i] && !oracle[i].LinkifyIt && !oracle[i].Linkifyjs).DistinctBy(i => corpus[i].Link).Take(40))
        {
            var n = Count(j => corpus[j].Link == corpus[i].Link && refused[j] && !oracle[j].LinkifyIt && !oracle[j].Linkifyjs);
            output.WriteLine($"over-match ({n} bodies around {Escape(corpus[i].Link ?? "(prose)")}), e.g. {Escape(bodies[i])}");
        }

        Assert.True(misses.Count == 0, $"{misses.Count} misses, e.g. " + string.Join(" | ", misses.DistinctBy(i => corpus[i].Body.Length % 97).Take(40).Select(i => Escape(bodies[i]))));
    }

    [Fact]
    public async Task Oracles_AreLive_TheyFindLinksAndNotProse()
    {
        var answers = await LinkOracle.FindAsync(["see https://evil.example/x", "hello there"]);
        Assert.Equal([(true, true), (false, false)], answers);
    }

    private static string Escape(string body) => string.Concat(body.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
