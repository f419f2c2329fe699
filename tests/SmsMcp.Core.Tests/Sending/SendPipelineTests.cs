using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// The send walk's guarantees on a real SQLite store: exactly one audit record per attempt, written before the
/// provider is called; any storage failure before the provider call means nothing is sent.
/// </summary>
public sealed class SendPipelineTests
{
    private sealed class FailingProvider : ISmsProvider
    {
        public int Calls { get; private set; }

        public string Name => "failing";

        public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            throw new SmsProviderException("Carrier said no.");
        }
    }

    [Fact]
    public async Task AcceptedSend_OneOutboxLine_OneCompletedAuditRecord_MessageAndUsageRecorded()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outcome = await h.SendAsync("demo", "hello");

        var result = Assert.IsType<SendResult>(outcome.Result);
        Assert.Single(h.Outbox());
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted, ReasonCodes.Accepted, result.MessageId),
            (record.Stage, record.Decision, record.ReasonCode, record.MessageId));
        var message = await h.Messages.GetAsync(PipelineHarness.Caller.Id, result.MessageId, CancellationToken.None);
        Assert.Equal(MessageStatus.Delivered, message!.Status);
        Assert.Equal("demo", message.Alias);
        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
    }

    [Theory]
    [InlineData("insert", AuditLog.Table)] // the write-ahead transaction: audit attempt, message record and pending marker
    [InlineData("transaction", AuditLog.Table)]
    [InlineData("insert", "Idempotency")]
    public async Task StorageFailureBeforeTheProvider_RefusesAndSendsNothing(string operation, string table)
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Store.Fail(operation, table);

        var outcome = await h.SendAsync("demo", "must not go out", key: "k1");

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
        h.Store.Heal();
        var records = await h.AuditAsync();
        Assert.All(records, r => Assert.NotEqual(AuditDecision.Accepted, r.Decision));
        Assert.All(records, r => Assert.Equal(AuditStage.Completed, r.Stage));
        Assert.True(records.Count <= 1);

        // The key was not burnt: once storage is back the same key sends, once.
        var retry = await h.SendAsync("demo", "must not go out", key: "k1");
        Assert.NotNull(retry.Result);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task RepeatedKeyWhileIdempotencyStoreUnreadable_RefusesAndSendsNothingNew()
    {
        await using var h = await PipelineHarness.CreateAsync();
        Assert.NotNull((await h.SendAsync("demo", "first", key: "k2")).Result);
        h.Store.Fail("get", "Idempotency");

        var outcome = await h.SendAsync("demo", "first", key: "k2");

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task AuditUnavailable_RefusalStillStands_NothingSent()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Store.Fail("*", AuditLog.Table);
        var outcome = await h.SendAsync("demo", "no audit, no send");
        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
    }

    [Fact]
    public async Task ProviderFailure_AuditsFailed_MarksMessageFailed_ReleasesTheKey()
    {
        var provider = new FailingProvider();
        await using var h = await PipelineHarness.CreateAsync(provider);

        var outcome = await h.SendAsync("demo", "carrier down", key: "retry-me");

        Assert.Equal(ReasonCodes.ProviderFailed, outcome.Refusal?.Code);
        Assert.Equal(1, provider.Calls);
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Failed, ReasonCodes.ProviderFailed), (record.Stage, record.Decision, record.ReasonCode));
        var message = await h.Messages.GetAsync(PipelineHarness.Caller.Id, record.MessageId!, CancellationToken.None);
        Assert.Equal(MessageStatus.Failed, message!.Status);

        var again = await h.SendAsync("demo", "carrier down", key: "retry-me");
        Assert.Equal(ReasonCodes.ProviderFailed, again.Refusal?.Code);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task BookkeepingFailureAfterTheSend_StillReportsSent_AndLeavesTheAttemptVisible()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Store.Fail("replace", AuditLog.Table);
        h.Store.Fail("replace", MessageStore.Table);

        var outcome = await h.SendAsync("demo", "went out");

        Assert.NotNull(outcome.Result);
        Assert.Single(h.Outbox());
        h.Store.Heal();
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Attempt, AuditDecision.Pending), (record.Stage, record.Decision));
    }

    [Theory]
    [InlineData("not-a-number", ReasonCodes.RecipientNotAllowed)]
    [InlineData("+12025550123 ", null)]
    [InlineData("+1202555012", ReasonCodes.InvalidNumber)]
    [InlineData("+447911123456", ReasonCodes.CountryNotAllowed)]
    [InlineData("+12025550199", null)]
    [InlineData("+12025550200", ReasonCodes.RecipientNotAllowed)]
    [InlineData("+13125550100", null)]
    public async Task Recipients_ResolveOrRefuse(string to, string? reason)
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outcome = await h.SendAsync(to, "hi");
        Assert.Equal(reason, outcome.Refusal?.Code);
        Assert.Equal(reason is null ? 1 : 0, h.Outbox().Count);
        Assert.Single(await h.AuditAsync());
    }

    [Fact]
    public async Task IdempotencyKey_ExpiresAfter24Hours()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var first = await h.SendAsync("demo", "daily", key: "day-key");
        h.Time.Advance(TimeSpan.FromHours(23));
        var replay = await h.SendAsync("demo", "daily", key: "day-key");
        Assert.Equal(first.Result!.MessageId, replay.Result!.MessageId);
        Assert.True(replay.Result.Replayed);
        Assert.Single(h.Outbox());

        h.Time.Advance(TimeSpan.FromHours(1));
        var fresh = await h.SendAsync("demo", "daily", key: "day-key");
        Assert.NotEqual(first.Result.MessageId, fresh.Result!.MessageId);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task ConcurrentCallsWithOneKey_SendOnce_EveryCallerGetsTheMessageId()
    {
        // The calls wait for one another in real time, as concurrent callers do.
        await using var h = await PipelineHarness.CreateAsync(clock: TimeProvider.System);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => h.SendAsync("demo", "only once", key: "race"))));
        Assert.Single(h.Outbox());
        Assert.All(outcomes, o => Assert.Null(o.Refusal));
        Assert.Single(outcomes.Select(o => o.Result!.MessageId).Distinct());
        Assert.Equal(9, outcomes.Count(o => o.Result!.Replayed));
        Assert.Equal(10, (await h.AuditAsync()).Count);
    }

    [Fact]
    public async Task StoredRecords_HoldNoRawNumberOrBody()
    {
        await using var h = await PipelineHarness.CreateAsync();
        const string body = "The launch code is swordfish";
        await h.SendAsync("demo", body, key: "stored");
        await h.SendAsync("+447911123456", body);

        var database = Directory.GetFiles(Path.GetDirectoryName(h.Sandbox.OutboxPath)!, "test.db*");
        Assert.NotEmpty(database);
        foreach (var file in database)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync();
            Assert.DoesNotContain("2025550123", text, StringComparison.Ordinal);
            Assert.DoesNotContain("7911123456", text, StringComparison.Ordinal);
            Assert.DoesNotContain("swordfish", text, StringComparison.Ordinal);
        }
    }
}
