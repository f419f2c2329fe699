using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage.AzureTables;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>
/// Exactness under scale-out, in process: four complete send pipelines, each with its own Table Storage client (own
/// HTTP pipeline and connections) and its own sandbox outbox, share one Azurite; 256 sends race for a limit of 50.
/// Exactly 50 may reach a provider, and every other send must be refused by the quota, not by contention.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QuotaScaleOutTests(AzuriteFixture fixture)
{
    private const int Instances = 4;
    private const int Sends = 256;
    private const int Limit = 50;

    public static TheoryData<string, string, string, string> Scenarios => new()
    {
        // scenario, profile quotas, global limits, expected refusal
        { "caller", """{ "messagesPerDay": 50 }""", "{}", ReasonCodes.QuotaExceeded },
        { "spend", """{ "spendPerDay": 0.5 }""", "{}", ReasonCodes.SpendCapExceeded },
        { "prefix", """{ "perPrefixPerDay": 50 }""", "{}", ReasonCodes.PrefixQuotaExceeded },
        { "global", "{}", """{ "messagesPerDay": 50 }""", ReasonCodes.GlobalQuotaExceeded },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task FourInstances256ConcurrentSends_ExactlyTheLimitGoesOut(string scenario, string quotas, string global, string expected)
    {
        var policy = QuotaPolicies.With(quotas, global);
        var suffix = TableSuffixStore.NewSuffix();
        var harnesses = new List<PipelineHarness>();
        try
        {
            for (var i = 0; i < Instances; i++)
            {
                var client = new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString, RequestTimeout = TimeSpan.FromSeconds(20) });
                harnesses.Add(await PipelineHarness.CreateAsync(policy: policy, store: new TableSuffixStore(client, suffix)));
            }

            var outcomes = await Task.WhenAll(Enumerable.Range(0, Sends).Select(i => Task.Run(() =>
                harnesses[i % Instances].SendAsAsync(CallerOf(scenario, i), RecipientOf(scenario, i), $"scale-out {i}"))));

            var answers = outcomes.GroupBy(o => o.Refusal?.Code ?? "sent").ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<string, int> { ["sent"] = Limit, [expected] = Sends - Limit }, answers);
            Assert.Equal(Limit, harnesses.Sum(h => h.Outbox().Count));
            Assert.Equal(Sends, (await harnesses[0].AuditAsync()).Count);
        }
        finally
        {
            foreach (var harness in harnesses)
            {
                await harness.DisposeAsync();
            }
        }
    }

    /// <summary>The global scenario spreads the sends over three callers of two profiles; the others use one caller.</summary>
    private static CallerIdentity CallerOf(string scenario, int i) =>
        scenario == "global" ? new CallerIdentity(new[] { "dev", "dev2", "free" }[i % 3]) : PipelineHarness.Caller;

    /// <summary>The prefix scenario texts 100 different numbers of one range; the others one number.</summary>
    private static string RecipientOf(string scenario, int i) =>
        scenario == "prefix" ? $"+120255501{i % 100:D2}" : "+12025550123";
}
