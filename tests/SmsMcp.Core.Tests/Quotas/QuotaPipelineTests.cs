using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>Quotas and spend caps in the send walk, on the real pipeline over SQLite and the sandbox outbox.</summary>
public sealed class QuotaPipelineTests
{
    private static readonly CallerIdentity Dev2 = new("dev2");
    private static readonly CallerIdentity Free = new("free");
    private static readonly string TwoSegments = new('x', 161);

    private sealed class SwitchableProvider(ISmsProvider real) : ISmsProvider
    {
        public Func<ProviderSendResult?>? Override { get; set; }

        public int Calls { get; private set; }

        public string Name => "switchable";

        public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            return Override?.Invoke() is { } answer ? Task.FromResult(answer) : real.SendAsync(message, cancellationToken);
        }
    }

    [Fact]
    public async Task CallerDailyQuota_RefusesTheNextSend_AuditedDenied_NothingSent()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 2 }"""));
        Assert.NotNull((await h.SendAsync("demo", "one")).Result);
        Assert.NotNull((await h.SendAsync("demo", "two")).Result);

        var refused = await h.SendAsync("demo", "three");

        Assert.Equal(ReasonCodes.QuotaExceeded, refused.Refusal?.Code);
        Assert.DoesNotContain("2", refused.Refusal!.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Outbox().Count);
        var denied = Assert.Single(await h.AuditAsync(), r => r.Decision == AuditDecision.Denied);
        Assert.Equal((AuditStage.Completed, ReasonCodes.QuotaExceeded), (denied.Stage, denied.ReasonCode));
    }

    [Fact]
    public async Task SegmentsPerDay_CountsSegmentsNotMessages()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "segmentsPerDay": 3 }"""));
        Assert.NotNull((await h.SendAsync("demo", TwoSegments)).Result);

        var refused = await h.SendAsync("demo", TwoSegments);

        Assert.Equal(ReasonCodes.QuotaExceeded, refused.Refusal?.Code);
        Assert.Contains("segments", refused.Refusal!.Message, StringComparison.Ordinal);
        Assert.NotNull((await h.SendAsync("demo", "one segment fits")).Result);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task HourlyQuota_RollsOverWithTheClock()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerHour": 1 }"""));
        Assert.NotNull((await h.SendAsync("demo", "one")).Result);
        Assert.Equal(ReasonCodes.QuotaExceeded, (await h.SendAsync("demo", "two")).Refusal?.Code);

        h.Time.Advance(TimeSpan.FromHours(1));

        Assert.NotNull((await h.SendAsync("demo", "two")).Result);
    }

    [Fact]
    public async Task RecipientQuota_CountsEveryCallerOfTheProfile()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "perRecipientPerDay": 1 }"""));
        Assert.NotNull((await h.SendAsync("demo", "from dev")).Result);

        Assert.Equal(ReasonCodes.RecipientQuotaExceeded, (await h.SendAsAsync(Dev2, "demo", "from dev2")).Refusal?.Code);
        Assert.NotNull((await h.SendAsAsync(Dev2, "other", "another number")).Result);
        Assert.NotNull((await h.SendAsAsync(Free, "+12025550123", "another profile")).Result);
        Assert.Equal(3, h.Outbox().Count);
    }

    [Fact]
    public async Task PrefixQuota_StopsARunOfSequentialNumbers()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "perPrefixPerDay": 2 }"""));
        Assert.NotNull((await h.SendAsync("+12025550101", "a")).Result);
        Assert.NotNull((await h.SendAsync("+12025550102", "b")).Result);

        Assert.Equal(ReasonCodes.PrefixQuotaExceeded, (await h.SendAsync("+12025550103", "c")).Refusal?.Code);
        Assert.Equal(ReasonCodes.PrefixQuotaExceeded, (await h.SendAsAsync(Dev2, "+12025550199", "d")).Refusal?.Code);
        Assert.NotNull((await h.SendAsync("+13035550101", "another range")).Result);
        Assert.Equal(3, h.Outbox().Count);
    }

    [Fact]
    public async Task GlobalQuota_CountsAllCallersTogether()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("{}", """{ "messagesPerDay": 2 }"""));
        Assert.NotNull((await h.SendAsync("demo", "dev")).Result);
        Assert.NotNull((await h.SendAsAsync(Free, "+12025550150", "free")).Result);

        Assert.Equal(ReasonCodes.GlobalQuotaExceeded, (await h.SendAsAsync(Dev2, "demo", "dev2")).Refusal?.Code);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Theory]
    [InlineData("""{ "spendPerDay": 0.03 }""", "{}")]
    [InlineData("""{ "spendPerMonth": 0.03 }""", "{}")]
    [InlineData("{}", """{ "spendPerDay": 0.03 }""")]
    [InlineData("{}", """{ "spendPerMonth": 0.03 }""")]
    public async Task SpendCap_RefusesTheSendThatWouldGoOver(string quotas, string global)
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With(quotas, global));
        Assert.NotNull((await h.SendAsync("demo", TwoSegments)).Result); // 0.02

        Assert.Equal(ReasonCodes.SpendCapExceeded, (await h.SendAsync("demo", TwoSegments)).Refusal?.Code); // would be 0.04
        Assert.NotNull((await h.SendAsync("demo", "0.01 fits")).Result);
        Assert.Equal(ReasonCodes.SpendCapExceeded, (await h.SendAsync("demo", "nothing left")).Refusal?.Code);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task PriceUnknown_UnderASpendCap_Refused_WithoutCapSent()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "spendPerMonth": 10 }"""));

        var refused = await h.SendAsync("+14165550123", "to Canada, which has no price");

        Assert.Equal(ReasonCodes.PriceUnknown, refused.Refusal?.Code);
        Assert.Equal(AuditDecision.Denied, Assert.Single(await h.AuditAsync()).Decision);
        Assert.NotNull((await h.SendAsAsync(Free, "+14165550123", "no cap, no price needed")).Result);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task ProviderFailure_ReleasesTheReservation()
    {
        var provider = new SwitchableProvider(new ThrowingProvider());
        await using var h = await PipelineHarness.CreateAsync(provider, QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));

        Assert.Equal(ReasonCodes.ProviderFailed, (await h.SendAsync("demo", "fails")).Refusal?.Code);
        Assert.Equal(0, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        provider.Override = () => new ProviderSendResult(MessageStatus.Sent, "SM1");
        Assert.NotNull((await h.SendAsync("demo", "goes")).Result);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task UnknownProviderOutcome_KeepsTheReservation()
    {
        var provider = new SwitchableProvider(new ThrowingProvider()) { Override = () => ProviderSendResult.Unknown };
        await using var h = await PipelineHarness.CreateAsync(provider, QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));

        Assert.Equal(MessageStatus.Unknown, (await h.SendAsync("demo", "maybe out")).Result?.Status);

        Assert.Equal(ReasonCodes.QuotaExceeded, (await h.SendAsync("demo", "next")).Refusal?.Code);
        Assert.Equal(1, provider.Calls);
    }

    [Theory]
    [InlineData("insert", AuditLog.Table)] // the write-ahead transaction: audit attempt, message record and pending marker
    [InlineData("transaction", AuditLog.Table)]
    public async Task StorageFailureAfterTheReservation_ReleasesIt(string operation, string table)
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));
        h.Store.Fail(operation, table);

        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.SendAsync("demo", "stopped")).Refusal?.Code);

        h.Store.Heal();
        Assert.NotNull((await h.SendAsync("demo", "fits again")).Result);
        Assert.Single(h.Outbox());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("replace")]
    public async Task LedgerUnavailable_RefusesStorageUnavailable_AndFreesTheIdempotencyKey(string operation)
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 5 }"""));
        Assert.NotNull((await h.SendAsync("demo", "first")).Result); // the entity exists, so the next write is a replace

        // Another instance reserves in between: the ETag this instance last wrote is stale, so its next reservation must
        // read the counters (a get) before it can replace them.
        var other = new QuotaLedger(h.Store, h.Clock, Options.Create(new QuotaOptions()), NullLogger<QuotaLedger>.Instance);
        Assert.True(PhoneNumberParser.TryParse("+12025550123", out var demo, out _));
        var plan = new QuotaPlanner(QuotaPolicies.With("""{ "messagesPerDay": 5 }"""), h.Pseudonymizer).Plan(PipelineHarness.Caller, demo, 1);
        Assert.NotNull((await other.ReserveAsync(plan.Scopes, plan.Charge, CancellationToken.None)).Reservation);
        h.Store.Fail(operation, QuotaLedger.Table);

        var refused = await h.SendAsync("demo", "second", key: "k-ledger");

        Assert.Equal(ReasonCodes.StorageUnavailable, refused.Refusal?.Code);
        Assert.Equal(ReasonCodes.StorageUnavailable, Assert.Single(await h.AuditAsync(), r => r.Decision == AuditDecision.Denied).ReasonCode);
        h.Store.Heal();
        Assert.False((await h.SendAsync("demo", "second", key: "k-ledger")).Result?.Replayed);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task QuotaRefusal_FreesTheIdempotencyKey_ForTomorrow()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));
        Assert.NotNull((await h.SendAsync("demo", "today")).Result);
        Assert.Equal(ReasonCodes.QuotaExceeded, (await h.SendAsync("demo", "tomorrow", key: "k-quota")).Refusal?.Code);

        h.Time.Advance(TimeSpan.FromDays(1));

        var sent = await h.SendAsync("demo", "tomorrow", key: "k-quota");
        Assert.Equal((false, MessageStatus.Delivered), (sent.Result!.Replayed, sent.Result.Status));
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task DryRunAndReplays_ReserveNothing()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));
        await h.Controls.SetDryRunAsync(null, engaged: true, "ops", CancellationToken.None);
        Assert.True((await h.SendAsync("demo", "dry")).Result?.DryRun);
        Assert.True((await h.SendAsync("demo", "dry again")).Result?.DryRun);
        await h.Controls.SetDryRunAsync(null, engaged: false, "ops", CancellationToken.None);

        Assert.NotNull((await h.SendAsync("demo", "real", key: "k-replay")).Result);
        Assert.True((await h.SendAsync("demo", "real", key: "k-replay")).Result?.Replayed);

        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task PendingApproval_ReservesNothing_TheApprovedSendDoes()
    {
        var policy = PipelineHarness.ParsePolicy("""
            {
              "recipients": { "demo": { "number": "+12025550123" }, "other": { "number": "+12025550124" } },
              "profiles": { "careful": { "allow": { "recipients": ["demo", "other"] }, "countries": ["US"], "approval": "firstContact", "quotas": { "messagesPerDay": 1 } } },
              "callers": { "dev": "careful" }
            }
            """);
        await using var h = await PipelineHarness.CreateAsync(policy: policy);
        var first = (await h.SendAsync("demo", "hello")).Result!;
        var second = (await h.SendAsync("other", "hello")).Result!;
        Assert.Equal((MessageStatus.PendingApproval, MessageStatus.PendingApproval), (first.Status, second.Status));
        Assert.Equal(0, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        await h.Approvals.ApproveAsync(first.MessageId, "admin:ops", CancellationToken.None);
        await h.Approvals.ApproveAsync(second.MessageId, "admin:ops", CancellationToken.None);

        Assert.Single(h.Outbox());
        Assert.Contains(await h.AuditAsync(), r => r.ReasonCode == ReasonCodes.QuotaExceeded);
        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
    }

    [Fact]
    public async Task Preview_ReportsTheQuotaRefusal_AndReservesNothing()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 1 }"""));
        Assert.Null((await h.Pipeline.PreviewAsync(PipelineHarness.Caller, "demo", "hi", CancellationToken.None)).Refusal);
        Assert.Null((await h.Pipeline.PreviewAsync(PipelineHarness.Caller, "demo", "hi", CancellationToken.None)).Refusal);
        Assert.NotNull((await h.SendAsync("demo", "hi")).Result);

        var preview = await h.Pipeline.PreviewAsync(PipelineHarness.Caller, "demo", "hi", CancellationToken.None);

        Assert.Equal(ReasonCodes.QuotaExceeded, preview.Refusal?.Code);
        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
    }

    [Fact]
    public async Task Usage_ReportsTheCallersOwnLimits_WithWhatIsLeft_NeverTheGlobalOnes()
    {
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With(
            """{ "messagesPerMinute": 5, "messagesPerDay": 10, "spendPerMonth": 1.5 }""", """{ "messagesPerDay": 100 }"""));
        await h.SendAsync("demo", TwoSegments);
        await h.SendAsAsync(Free, "+12025550150", "counts globally");

        var usage = await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None);

        Assert.Equal(("2026-11-21", 1L, 2L, 20_000L, "EUR"), (usage.Day, usage.Today.Messages, usage.Today.Segments, usage.Today.SpendMicros, usage.Currency));
        Assert.Equal(
            [
                (QuotaWindow.Minute, QuotaMetric.Messages, "2026-11-21T12:00Z", 1L, 5L, 4L),
                (QuotaWindow.Day, QuotaMetric.Messages, "2026-11-21", 1L, 10L, 9L),
                (QuotaWindow.Month, QuotaMetric.Spend, "2026-11", 20_000L, 1_500_000L, 1_480_000L),
            ],
            usage.Limits.Select(l => (l.Window, l.Metric, l.Period, l.Used, l.Limit, l.Remaining)).ToArray());
    }

    private sealed class ThrowingProvider : ISmsProvider
    {
        public string Name => "throwing";

        public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken) =>
            throw new SmsProviderException("The carrier said no.");
    }
}
