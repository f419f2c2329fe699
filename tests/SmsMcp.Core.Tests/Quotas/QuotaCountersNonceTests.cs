using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Quotas;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>
/// The remembered write ids of a quota row (what tells a transport retry of our own landed write from someone else's):
/// cut by position on every write, so it must keep exactly what splitting, taking the last ids and joining kept.
/// </summary>
public sealed class QuotaCountersNonceTests
{
    private static string Model(string nonces, string nonce) =>
        string.Join(' ', (nonces.Length == 0 ? [] : nonces.Split(' ')).TakeLast(QuotaCounters.RememberedWrites - 1).Append(nonce));

    [Fact]
    public void Remember_KeepsTheLastIds_AsSplitTakeLastJoinDid_ForEveryLength() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(
            (from count in Gen.Choose(0, QuotaCounters.RememberedWrites * 2 + 3)
             from ids in Gen.ArrayOf(Gen.Elements("a", "b7", "0123456789abcdef0123456789abcdef", "", "x y"), count)
             from nonce in Gen.Elements("n", "fresh-id", "f0e1d2c3b4a5968778695a4b3c2d1e0f")
             select (Stored: string.Join(' ', ids), Nonce: nonce)).ToArbitrary(),
            c => QuotaCounters.Remember(c.Stored, c.Nonce) == Model(c.Stored, c.Nonce)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(QuotaCounters.RememberedWrites - 1)]
    [InlineData(QuotaCounters.RememberedWrites)]
    [InlineData(QuotaCounters.RememberedWrites + 5)]
    public void Remember_HoldsAtMostRememberedWrites_NewestLast(int stored)
    {
        var nonces = string.Join(' ', Enumerable.Range(0, stored).Select(i => "id" + i));

        var kept = QuotaCounters.Remember(nonces, "new").Split(' ');

        Assert.Equal(Math.Min(stored + 1, QuotaCounters.RememberedWrites), kept.Length);
        Assert.Equal("new", kept[^1]);
        Assert.Equal(Enumerable.Range(0, stored).Select(i => "id" + i).TakeLast(kept.Length - 1), kept[..^1]);
    }
}
