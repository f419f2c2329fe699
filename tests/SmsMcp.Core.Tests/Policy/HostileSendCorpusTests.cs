using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Policy;

/// <summary>
/// Every hostile or malformed send through the real pipeline: the exact reason code, nothing in the sandbox
/// outbox, exactly one new audit record (denied, with that code and the policy version).
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class HostileSendCorpusTests(CorpusHarness fixture) : IClassFixture<CorpusHarness>
{
    // Cases are passed by index: some bodies hold lone surrogates that test discovery cannot serialise.
    public static TheoryData<int, string> CaseIndexes()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < HostileSendCorpus.Cases.Count; i++)
        {
            data.Add(i, HostileSendCorpus.Cases[i].Label);
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeast300Cases() => Assert.True(HostileSendCorpus.Cases.Count >= 300, $"{HostileSendCorpus.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public async Task HostileSend_RefusedWithExactCode_NothingSent_OneAuditRecord(int index, string label)
    {
        var h = fixture.Harness;
        var send = HostileSendCorpus.Cases[index];
        var outboxBefore = h.Outbox().Count;
        var auditBefore = (await h.AuditAsync()).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var outcome = await h.SendAsAsync(new CallerIdentity(send.Caller), send.To, send.Body);

        Assert.True(send.Expected == outcome.Refusal?.Code, $"{label}: expected {send.Expected}, got {outcome.Refusal?.Code ?? "accepted"}");
        Assert.Null(outcome.Result);
        Assert.Equal(outboxBefore, h.Outbox().Count);
        var added = Assert.Single(await h.AuditAsync(), r => !auditBefore.Contains(r.Id));
        Assert.Equal((AuditDecision.Denied, send.Expected, send.Caller), (added.Decision, added.ReasonCode, added.CallerId));
        Assert.Equal(h.Policy.Version, added.PolicyVersion);
    }
}
