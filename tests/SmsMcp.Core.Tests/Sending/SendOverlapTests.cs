using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Quotas;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// The quota reservation and the write-ahead go out together when this instance expects the reservation to succeed
/// (issue 16: one round trip less before the provider). Each ending where only one of them was stored: the caller gets the
/// answer a sequential walk gave, with one audit record saying so; a write-ahead beside a refused or failed reservation
/// leaves no message record or pending marker; a reservation beside a failed write-ahead is given back; the idempotency
/// key is free again; nothing is sent. Each of those checks that the two writes did go out together (same depth), so none
/// passes on a walk that never overlapped; a refusal the instance can foresee and a counter it never saw stay sequential.
/// Run on SQLite and on Table Storage (Azurite).
/// </summary>
public abstract class SendOverlapTests
{
    private const string Key = "k-overlap";

    /// <summary>A store no other case uses.</summary>
    protected abstract Task<ITableStore> NewStoreAsync();

    [Fact]
    public async Task QuotaRefusedWhileTheWriteAheadLanded_OneDeniedRecord_NoMessageOrMarker_KeyFreed_NothingSent()
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 2 }""");
        await using var h = t.Harness;
        Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);
        // Another instance takes the last message of the day: this instance's view of the counters (1 of 2) still admits
        // the send, so it writes ahead, and the reservation (a 412 on the stale ETag, a read) refuses.
        await ReserveElsewhereAsync(h, """{ "messagesPerDay": 2 }""");

        var outcome = t.Send("over the quota", Key);

        Assert.Equal(ReasonCodes.QuotaExceeded, outcome.Refusal?.Code);
        t.AssertOverlapped();
        var id = await AssertWithdrawnAsync(h, ReasonCodes.QuotaExceeded);
        Assert.Single(h.Outbox());
        Assert.Equal(2, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
        var bucket = await h.Traffic.ReadAsync(PipelineHarness.Caller.Id, TrafficCounters.PeriodStart(h.Clock.GetUtcNow()), CancellationToken.None);
        Assert.Equal((2L, 1L, 1L), (bucket.Attempts, bucket.Sent, bucket.Refusals.GetValueOrDefault(ReasonCodes.QuotaExceeded)));

        // The key was given back: tomorrow the same request is a new send, not a replay of a send that never was.
        h.Time.Advance(TimeSpan.FromDays(1));
        var retried = Assert.IsType<SendResult>((await h.SendAsync("demo", "over the quota", Key)).Result);
        Assert.False(retried.Replayed);
        Assert.NotEqual(id, retried.MessageId);
        Assert.Equal(2, h.Outbox().Count);
    }

    /// <summary>
    /// One of the two writes fails. The reservation (the write-ahead landed): its audit attempt is completed as denied,
    /// its message record and marker withdrawn. The write-ahead (the reservation landed): the reservation is given back;
    /// nothing of the write-ahead was stored, so no record claims an attempt. Either way the answer is
    /// <c>storage_unavailable</c>, nothing is counted or sent, and the key is free for the retry.
    /// </summary>
    [Theory]
    [InlineData("replace", QuotaLedger.Table)]
    [InlineData("transaction", AuditLog.Table)]
    public async Task OneOfTheTwoWritesFailed_StorageUnavailable_NothingCountedOrSent_KeyFreed(string operation, string table)
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 5 }""");
        await using var h = t.Harness;
        Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);
        t.Faults.Fail(operation, table);

        var outcome = t.Send("stopped", Key);

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        t.AssertOverlapped();
        if (table == QuotaLedger.Table)
        {
            await AssertWithdrawnAsync(h, ReasonCodes.StorageUnavailable);
        }
        else
        {
            Assert.Single(await h.AuditAsync());
        }

        Assert.Single(h.Outbox());
        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        t.Faults.Heal();
        Assert.False(Assert.IsType<SendResult>((await h.SendAsync("demo", "stopped", Key)).Result).Replayed);
        Assert.Equal(2, h.Outbox().Count);
        Assert.Equal(2, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
    }

    /// <summary>
    /// The reservation throws what no store throws (a bug, a store shutting down): the exception reaches the caller, and
    /// the write-ahead that went out beside it is withdrawn first — no open attempt, message record or marker the caller
    /// never learned of — and the key is freed.
    /// </summary>
    [Fact]
    public async Task ReservationThrowsWhatNoStoreThrows_ExceptionGoesOn_WriteAheadWithdrawn_KeyFreed()
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 5 }""");
        await using var h = t.Harness;
        Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);
        t.Faults.Fail("replace", QuotaLedger.Table, () => new InvalidOperationException("not a storage fault"));

        Assert.Throws<InvalidOperationException>(() => t.Send("thrown", Key));

        t.AssertOverlapped();
        await AssertWithdrawnAsync(h, ReasonCodes.StorageUnavailable);
        Assert.Single(h.Outbox());
        t.Faults.Heal();
        Assert.False(Assert.IsType<SendResult>((await h.SendAsync("demo", "thrown", Key)).Result).Replayed);
    }

    /// <summary>
    /// The reservation fails beside a stored write-ahead, and so does the one transaction that would withdraw it: the
    /// audit completion and the deletion of the message record and marker are then each tried alone, with the same
    /// ending — one denied record, nothing for the caller's status tool, nothing sent, the key freed.
    /// </summary>
    [Fact]
    public async Task WithdrawalTransactionFails_CompletionAndDeletionTriedAlone_SameEnding()
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 5 }""");
        await using var h = t.Harness;
        Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);
        t.Faults.Fail("replace", QuotaLedger.Table);
        var auditTransactions = 0;
        // The first Audit transaction is the write-ahead, the second the withdrawal; later ones (the fallback) go through.
        t.Faults.Fail("transaction", AuditLog.Table, () => ++auditTransactions == 2 ? new StorageUnavailableException("Injected fault: the withdrawal.") : null);

        var outcome = t.Send("stopped", Key);

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        t.AssertOverlapped();
        Assert.True(auditTransactions >= 2, "The withdrawal transaction was never attempted.");
        t.Faults.Heal();
        await AssertWithdrawnAsync(h, ReasonCodes.StorageUnavailable);
        Assert.Single(h.Outbox());
        Assert.False(Assert.IsType<SendResult>((await h.SendAsync("demo", "stopped", Key)).Result).Replayed);
    }

    [Fact]
    public async Task RefusalThisInstanceCanForesee_StaysSequential_WritesNoWriteAhead()
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 1 }""");
        await using var h = t.Harness;
        Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);

        var outcome = t.Send("over the quota", Key);

        Assert.Equal(ReasonCodes.QuotaExceeded, outcome.Refusal?.Code);
        // The ledger's fresh read refuses; the one Audit transaction after it is the refusal's record and event.
        var requests = t.Counting.Requests;
        var quotaRead = Assert.Single(requests, r => r.Table == QuotaLedger.Table);
        Assert.Equal("get", quotaRead.Operation);
        var audit = Assert.Single(requests, r => r.Table == AuditLog.Table);
        Assert.True(audit.Depth > quotaRead.Depth, "The refusal is written after the reservation answered.");
        var denied = Assert.Single(await h.AuditAsync(), r => r.Decision == AuditDecision.Denied);
        Assert.Null(denied.MessageId);
    }

    [Fact]
    public async Task ColdInstance_ReservesBeforeItWritesAhead()
    {
        var t = await OverlapHarness.CreateAsync(await NewStoreAsync(), """{ "messagesPerDay": 5 }""");
        await using var h = t.Harness;

        Assert.NotNull(t.Send("first", null).Result);

        var requests = t.Counting.Requests;
        var quotaWrite = Assert.Single(requests, r => r.Table == QuotaLedger.Table && r.Operation is "insert" or "replace");
        var writeAhead = requests.First(r => r.Table == AuditLog.Table && r.Operation == "transaction");
        Assert.True(writeAhead.Depth > quotaWrite.Depth, "A counter this instance never saw is reserved before anything is written ahead.");
    }

    /// <summary>
    /// The call's one audit record is the write-ahead attempt, completed as denied with <paramref name="reasonCode"/>; the
    /// message record and its pending marker are gone, for the caller's status tool and for a status report alike; the
    /// audit trail still verifies. Returns the withdrawn message id.
    /// </summary>
    private static async Task<string> AssertWithdrawnAsync(PipelineHarness h, string reasonCode)
    {
        var records = await h.AuditAsync();
        Assert.Equal(2, records.Count);
        var denied = Assert.Single(records, r => r.Decision == AuditDecision.Denied);
        Assert.Equal((AuditStage.Completed, reasonCode), (denied.Stage, denied.ReasonCode));
        var id = Assert.IsType<string>(denied.MessageId);
        Assert.Null(await h.Messages.GetAsync(PipelineHarness.Caller.Id, id, CancellationToken.None));
        Assert.Null(await h.Messages.FindForStatusAsync(id, CancellationToken.None));
        Assert.Null(await h.Store.GetAsync(AuditLog.Table, MessageStore.PartitionOf(id)!, "p:" + id, CancellationToken.None));
        var verification = await h.Verifier.VerifyAsync(DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.Equal(2, verification.Records);
        return id;
    }

    /// <summary>Another instance (its own ledger on the same store) reserves one message for the caller.</summary>
    private static async Task ReserveElsewhereAsync(PipelineHarness h, string quotas)
    {
        var other = new QuotaLedger(h.Store, h.Clock, Options.Create(new QuotaOptions()), NullLogger<QuotaLedger>.Instance);
        Assert.True(PhoneNumberParser.TryParse("+12025550123", out var demo, out _));
        var plan = new QuotaPlanner(QuotaPolicies.With(quotas), h.Pseudonymizer).Plan(PipelineHarness.Caller, demo, 1);
        Assert.NotNull((await other.ReserveAsync(plan.Scopes, plan.Charge, CancellationToken.None)).Reservation);
    }

    /// <summary>
    /// A pipeline on <c>counting → faults → store</c>: faults injected under the counter, so a failed request still shows
    /// where it was issued.
    /// </summary>
    private sealed record OverlapHarness(PipelineHarness Harness, CountingTableStore Counting, FaultyTableStore Faults)
    {
        public static async Task<OverlapHarness> CreateAsync(ITableStore store, string quotas)
        {
            var faults = new FaultyTableStore(store);
            var counting = new CountingTableStore(faults, measureDepth: true);
            return new OverlapHarness(await PipelineHarness.CreateAsync(policy: QuotaPolicies.With(quotas), store: counting), counting, faults);
        }

        /// <summary>One send, counted from a clean slate, on one thread one step at a time (exact depths, see <see cref="CountingTableStore"/>).</summary>
        public SendOutcome Send(string body, string? key)
        {
            Counting.Reset();
            return SingleThreadedContext.Run(() => Harness.SendAsync("demo", body, key));
        }

        /// <summary>The quota write and the write-ahead transaction were issued together, the reservation first.</summary>
        public void AssertOverlapped()
        {
            var requests = Counting.Requests.ToList();
            var quotaWrite = requests.FindIndex(r => r.Table == QuotaLedger.Table && r.Operation is "insert" or "replace");
            var writeAhead = requests.FindIndex(r => r.Table == AuditLog.Table && r.Operation == "transaction");
            Assert.True(quotaWrite >= 0 && writeAhead == quotaWrite + 1 && requests[quotaWrite].Depth == requests[writeAhead].Depth,
                "The reservation and the write-ahead did not go out together: " + string.Join(", ", requests.Select(r => $"{r.Operation} {r.Table} @{r.Depth}")));
        }
    }
}

/// <summary><see cref="SendOverlapTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteSendOverlapTests : SendOverlapTests, IDisposable
{
    private readonly SqliteStoreFolder _stores = new();

    protected override Task<ITableStore> NewStoreAsync() => Task.FromResult(_stores.NewStore());

    public void Dispose() => _stores.Dispose();
}
