using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Storage.Sqlite;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Lookup;

/// <summary>
/// What bounds the money a caller can spend on billed lookups: the send's quotas are checked before a lookup, and each
/// caller has a daily lookup budget (<c>lookup.maxPerDay</c>). Twilio Lookup v2 as production wires it, answered by a
/// loopback fake that counts every request; the real pipeline on SQLite.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class LookupSpendTests
{
    private const string Body = "Your table for two is ready.";

    [Theory]
    [InlineData("""{ "messagesPerDay": 1 }""", ReasonCodes.QuotaExceeded)]
    [InlineData("""{ "perPrefixPerDay": 1 }""", ReasonCodes.PrefixQuotaExceeded)]
    [InlineData("""{ "spendPerDay": 0.01 }""", ReasonCodes.SpendCapExceeded)]
    public async Task QuotaUsedUp_RefusedWithoutSpendingALookup(string quotas, string expected)
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile"));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(quotas: quotas), lookup: twilio.Lookup);
        Assert.NotNull((await h.SendAsync("+12025550123", Body)).Result);
        Assert.Single(fake.Requests);

        var refused = await h.SendAsync("+12025550124", Body);
        var againFresh = await h.SendAsync("+12025550125", Body);

        Assert.Equal((expected, expected), (refused.Refusal?.Code, againFresh.Refusal?.Code));
        Assert.Single(fake.Requests);
        Assert.Single(h.Outbox());
        Assert.Equal(new[] { ReasonCodes.Accepted, expected, expected }.Order(StringComparer.Ordinal), (await h.AuditAsync()).Select(r => r.ReasonCode).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DailyBudget_CountsEveryLookupWhateverItsAnswer_ThenRefusesFreshNumbers_KnownOnesStillGo()
    {
        await using var fake = new LoopbackHttpServer(n => Answer(n == 2 ? "premium" : "mobile"));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy("""{ "mode": "firstContact", "maxPerDay": 2 }"""), lookup: twilio.Lookup);

        var first = await h.SendAsync("+12025550123", Body);
        var blocked = await h.SendAsync("+12025550124", Body);
        var overBudget = await h.SendAsync("+12025550125", Body);
        var known = await h.SendAsync("+12025550123", Body);

        Assert.NotNull(first.Result);
        Assert.Equal(ReasonCodes.LineTypeBlocked, blocked.Refusal?.Code);
        Assert.Equal(ReasonCodes.LookupBudgetExceeded, overBudget.Refusal?.Code);
        Assert.DoesNotContain("2", overBudget.Refusal!.Message, StringComparison.Ordinal);
        Assert.NotNull(known.Result);
        Assert.Equal(2, fake.Requests.Count);
        var denied = (await h.AuditAsync()).Single(r => r.ReasonCode == ReasonCodes.LookupBudgetExceeded);
        Assert.Equal(AuditDecision.Denied, denied.Decision);

        // Another caller of the profile has its own budget; the next UTC day starts over.
        Assert.NotNull((await h.SendAsAsync(new CallerIdentity("other"), "+12025550125", Body)).Result);
        Assert.Equal(3, fake.Requests.Count);
        h.Time.Advance(TimeSpan.FromDays(1));
        Assert.NotNull((await h.SendAsync("+12025550126", Body)).Result);
        Assert.Equal(4, fake.Requests.Count);
    }

    [Fact]
    public async Task NoBilledLookup_NoLookupBudgetTouched_SameQuotaRoundTripsAsWithoutLookup()
    {
        await using var fake = new LoopbackHttpServer(_ => Answer("mobile"));
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        var directory = Directory.CreateTempSubdirectory("smsmcp-lookup-spend-").FullName;
        using var sqlite = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "test.db") });
        var counting = new QuotaCountingStore(sqlite);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(quotas: """{ "messagesPerDay": 10 }"""), lookup: twilio.Lookup, store: counting);
        Assert.NotNull((await h.SendAsync("+12025550123", Body)).Result);
        var withLookup = counting.Operations;

        // The same number for a caller who never texted it: the answer is cached, so nothing is billed or budgeted.
        Assert.NotNull((await h.SendAsAsync(new CallerIdentity("other"), "+12025550123", Body)).Result);

        Assert.Single(fake.Requests);
        Assert.Equal(2, counting.Operations - withLookup); // read + write of the caller's own counters
        var budget = await h.Ledger.ReadAsync("l:other", CancellationToken.None);
        Assert.Equal(0L, budget.Get(h.Ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    [Fact]
    public async Task CallerCancelsWhileTheLookupIsInFlight_LookupFinishedAndCached_RetryNeitherAsksNorBudgetsAgain()
    {
        using var release = new ManualResetEventSlim();
        await using var fake = new LoopbackHttpServer(_ =>
        {
            // Holds the lookup until the caller has given up.
            release.Wait(TimeSpan.FromSeconds(30));
            return Answer("mobile");
        });
        await using var twilio = new TwilioHarness(fake.BaseUrl);
        await using var h = await PipelineHarness.CreateAsync(policy: Policy(), lookup: twilio.Lookup);
        var recipientRef = h.Pseudonymizer.Recipient(TwilioHarness.ToE164);
        using var caller = new CancellationTokenSource();

        var check = h.Lookups.CheckAsync(PipelineHarness.Caller, TwilioHarness.To, recipientRef, 1, knownContact: false, mayLookUp: true, caller.Token);
        await fake.FirstRequestReceived;
        await caller.CancelAsync();
        release.Set();
        var refusal = await check;
        var cached = await h.LookupCache.GetAsync(recipientRef, CancellationToken.None);
        var retry = await h.Lookups.CheckAsync(PipelineHarness.Caller, TwilioHarness.To, recipientRef, 1, knownContact: false, mayLookUp: true, CancellationToken.None);

        Assert.Null(refusal);
        Assert.Equal("mobile", cached?.LineType);
        Assert.Null(retry);
        Assert.Single(fake.Requests);
        var budget = await h.Ledger.ReadAsync("l:" + PipelineHarness.Caller.Id, CancellationToken.None);
        Assert.Equal(1L, budget.Get(h.Ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    private static LoopbackReply Answer(string lineType) => LoopbackReply.Json(200, $$$"""
        {"valid":true,"validation_errors":null,"line_type_intelligence":{"type":"{{{lineType}}}","error_code":null},
         "sms_pumping_risk":{"sms_pumping_risk_score":0,"error_code":null}}
        """);

    /// <summary>Callers <c>dev</c> and <c>other</c> on one profile allowing the fictional NANP range; US costs 0.01 a segment.</summary>
    private static SendPolicy Policy(string lookup = """{ "mode": "firstContact" }""", string quotas = "{}") =>
        PipelineHarness.ParsePolicy($$"""
            {
              "profiles": { "p": { "allow": { "patterns": ["+1NXX55501XX"] }, "countries": ["US"], "lookup": {{lookup}}, "quotas": {{quotas}} } },
              "callers": { "dev": "p", "other": "p" },
              "pricing": { "currency": "USD", "perSegment": { "US": 0.01 } }
            }
            """);

    /// <summary>Counts every operation on the quota ledger's table.</summary>
    private sealed class QuotaCountingStore(ITableStore inner) : ITableStore
    {
        private int _operations;

        public int Operations => _operations;

        public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

        public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) =>
            Count(table, () => inner.GetAsync(table, partitionKey, rowKey, cancellationToken));

        public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
            Count(table, () => inner.InsertAsync(table, entity, cancellationToken));

        public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) =>
            Count(table, () => inner.ReplaceAsync(table, entity, ifMatch, cancellationToken));

        public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
            Count(table, () => inner.UpsertAsync(table, entity, cancellationToken));

        public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) =>
            Count(table, () => inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken));

        public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
            Count(table, () => inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken));

        public Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken) =>
            Count(table, () => inner.SubmitTransactionAsync(table, writes, cancellationToken));

        private T Count<T>(string table, Func<T> operation)
        {
            if (table == QuotaLedger.Table)
            {
                Interlocked.Increment(ref _operations);
            }

            return operation();
        }
    }
}
