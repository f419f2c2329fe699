using SmsMcp.Core.Quotas;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Storage.Sqlite;

/// <summary>
/// Every SQLite write encodes its entity's properties; the encoder keeps one buffer per thread so that a write's
/// garbage is its result, not a buffer grown by doubling from scratch (the bulk of a send's allocations before).
/// </summary>
public sealed class PropertiesJsonAllocationTests
{
    [Fact]
    public void EncodingAQuotaRow_AgainOnTheSameThread_AllocatesLittleMoreThanTheResult()
    {
        var nonces = "";
        for (var i = 0; i < QuotaCounters.RememberedWrites; i++)
        {
            nonces = QuotaCounters.Remember(nonces, Guid.NewGuid().ToString("N"));
        }

        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["DayKey"] = "20261208", ["DayMessages"] = 12L, ["DaySegments"] = 30L, ["DaySpend"] = 4200L, ["Nonces"] = nonces,
        };
        var first = PropertiesJson.Encode(properties);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = PropertiesJson.Encode(properties);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first, second);
        Assert.True(allocated < second.Length + 1024, $"{allocated} bytes allocated for a {second.Length}-byte result");
    }

    [Fact]
    public void AnEncodeThatFailed_DoesNotLeakIntoTheNextOne()
    {
        Assert.Throws<InvalidOperationException>(() => PropertiesJson.Encode(new Dictionary<string, object> { ["A"] = "x", ["B"] = new object() }));

        var encoded = PropertiesJson.Encode(new Dictionary<string, object> { ["C"] = 1 });

        Assert.Equal(1, PropertiesJson.Decode(encoded)["C"]);
        Assert.Single(PropertiesJson.Decode(encoded));
    }
}
