using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Tests.Delivery;

/// <summary>
/// The status walk on SQLite, with messages sent through the real pipeline and Twilio provider (loopback Twilio):
/// monotonic transitions, duplicates and late reports ignored, the carrier id checked or adopted, one audit record
/// per applied transition, the watchdog's outcome counters, opt-outs onto the suppression list.
/// </summary>
public sealed class DeliveryStatusServiceTests
{
    private static string Caller => PipelineHarness.Caller.Id;

    private static async Task<MessageRecord> RecordAsync(DeliveryHarness h, string messageId) =>
        (await h.Pipeline.Messages.GetAsync(Caller, messageId, CancellationToken.None))!;

    [Fact]
    public async Task SentThenDelivered_EachApplied_OneAuditRecordPerTransition()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);
        Assert.Equal(MessageStatus.Queued, (await RecordAsync(h, id)).Status);

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "sent"));
        Assert.Equal(MessageStatus.Sent, (await RecordAsync(h, id)).Status);
        h.Pipeline.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "delivered"));

        Assert.Equal(MessageStatus.Delivered, (await RecordAsync(h, id)).Status);
        var transitions = await h.TransitionsAsync();
        Assert.Equal([ReasonCodes.StatusSent, ReasonCodes.StatusDelivered], transitions.Select(r => r.ReasonCode));
        Assert.All(transitions, r => Assert.Equal((id, Caller, AuditDecision.Accepted, DeliveryStatusService.CallbackTool), (r.MessageId, r.CallerId, r.Decision, r.Tool)));
        Assert.All(transitions, r => Assert.StartsWith("r_", r.RecipientRef, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepeatedCallback_IsADuplicate_NoSecondAuditRecord()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "sent"));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "sent"));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "sending"));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "queued"));

        Assert.Single(await h.TransitionsAsync());
    }

    [Fact]
    public async Task LateSentAfterDelivered_Ignored_FinalStatusNeverChanges()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "delivered"));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "sent"));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "failed", 30008));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(id, sid, "undelivered", 30003));

        var record = await RecordAsync(h, id);
        Assert.Equal((MessageStatus.Delivered, null), (record.Status, record.ErrorCode));
        Assert.Equal([ReasonCodes.StatusDelivered], (await h.TransitionsAsync()).Select(r => r.ReasonCode));
    }

    [Fact]
    public async Task UnrecognisedStatusWord_IgnoredWithoutChange()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();

        Assert.Equal(DeliveryUpdateOutcome.Ignored, await h.CallbackAsync(id, await h.ProviderIdOf(id), "teleported"));

        Assert.Equal(MessageStatus.Queued, (await RecordAsync(h, id)).Status);
        Assert.Empty(await h.TransitionsAsync());
    }

    [Fact]
    public async Task OtherCarrierMessageId_Mismatch_NoChange()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();

        Assert.Equal(DeliveryUpdateOutcome.Mismatch, await h.CallbackAsync(id, DeliveryHarness.Sid(999), "delivered"));

        var record = await RecordAsync(h, id);
        Assert.Equal((MessageStatus.Queued, await h.ProviderIdOf(id)), (record.Status, record.ProviderMessageId));
        Assert.Empty(await h.TransitionsAsync());
    }

    [Theory]
    [InlineData("msg_0000000000000000000000000000dead")]
    [InlineData("msg_not-well-formed")]
    [InlineData("")]
    public async Task MessageIdWeNeverQueued_UnknownMessage(string messageId)
    {
        await using var h = await DeliveryHarness.CreateAsync();
        await h.SendAsync();

        Assert.Equal(DeliveryUpdateOutcome.UnknownMessage, await h.CallbackAsync(messageId, DeliveryHarness.Sid(1), "delivered"));
        Assert.Empty(await h.TransitionsAsync());
    }

    [Fact]
    public async Task UnknownOutcome_AdoptsTheSidFromTheCallback_AndIsReconciled()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        h.DropCreates = true;
        var id = await h.SendAsync();
        var before = await RecordAsync(h, id);
        Assert.Equal((MessageStatus.Unknown, null), (before.Status, before.ProviderMessageId));

        var sid = DeliveryHarness.Sid(4242);
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "delivered"));

        var after = await RecordAsync(h, id);
        Assert.Equal((MessageStatus.Delivered, sid), (after.Status, after.ProviderMessageId));

        // From now on the adopted id is the message's: a callback naming another one changes nothing.
        Assert.Equal(DeliveryUpdateOutcome.Mismatch, await h.CallbackAsync(id, DeliveryHarness.Sid(1), "failed"));
        Assert.Equal([ReasonCodes.StatusDelivered], (await h.TransitionsAsync()).Select(r => r.ReasonCode));
    }

    [Fact]
    public async Task CallbackOvertakesTheSendsOwnWrite_TheSendDoesNotMoveTheStatusBack()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var messages = h.Pipeline.Messages;
        var now = h.Pipeline.Time.GetUtcNow();
        var placeholder = new MessageRecord
        {
            MessageId = MessageStore.NewMessageId(now), CallerId = Caller, RecipientMasked = "+1 ********23", RecipientRef = "r_x",
            Status = MessageStatus.Queued, Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "twilio", CreatedAt = now, UpdatedAt = now,
        };
        await messages.InsertAsync(placeholder, CancellationToken.None);

        // Twilio reports "sent" before the create request has returned to the pipeline.
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(placeholder.MessageId, DeliveryHarness.Sid(7), "sent"));
        await messages.SaveSendResultAsync(placeholder with { ProviderMessageId = DeliveryHarness.Sid(7) }, CancellationToken.None);

        var record = await RecordAsync(h, placeholder.MessageId);
        Assert.Equal((MessageStatus.Sent, DeliveryHarness.Sid(7)), (record.Status, record.ProviderMessageId));
    }

    [Theory]
    [InlineData("delivered", null, ReasonCodes.StatusDelivered)]
    [InlineData("undelivered", 30003, ReasonCodes.StatusUndelivered)]
    [InlineData("failed", 30008, ReasonCodes.StatusFailed)]
    public async Task ConcurrentCallbacks_ExactlyOneApplies_OneAuditRecord_OneCount(string status, int? errorCode, string reason)
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => h.CallbackAsync(id, sid, i % 3 == 0 ? "sent" : status, errorCode))));

        Assert.True(MessageStatusOrder.IsFinal((await RecordAsync(h, id)).Status));
        var transitions = await h.TransitionsAsync();
        Assert.Equal(outcomes.Count(o => o == DeliveryUpdateOutcome.Applied), transitions.Count);
        Assert.Single(transitions, r => r.ReasonCode == reason);
        Assert.True(transitions.Count(r => r.ReasonCode == ReasonCodes.StatusSent) <= 1);
        var totals = await h.BucketAsync(Caller);
        Assert.Equal((status == "undelivered" ? 1 : 0, status == "failed" ? 1 : 0), (totals.Undelivered, totals.Failed));
        Assert.Equal(errorCode, (await RecordAsync(h, id)).ErrorCode);
    }

    [Fact]
    public async Task OutcomeCounters_PerCallerPerPeriod_ReadableForThePeriod()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        foreach (var (status, code) in new[] { ("undelivered", 30003), ("undelivered", 30005), ("failed", 30008), ("delivered", 0) })
        {
            var id = await h.SendAsync();
            await h.CallbackAsync(id, await h.ProviderIdOf(id), status, code == 0 ? null : code);
        }

        var period = TrafficCounters.PeriodStart(h.Pipeline.Time.GetUtcNow());
        var bucket = await h.BucketAsync(Caller);
        Assert.Equal((1L, 2L, 1L), (bucket.Delivered, bucket.Undelivered, bucket.Failed));
        var all = (await h.Pipeline.Traffic.ReadPeriodAsync(period, CancellationToken.None))[Caller];
        Assert.Equal((1L, 2L, 1L), (all.Delivered, all.Undelivered, all.Failed));
        var next = await h.Pipeline.Traffic.ReadAsync(Caller, period + TrafficCounters.Period, CancellationToken.None);
        Assert.Equal((0L, 0L, 0L), (next.Delivered, next.Undelivered, next.Failed));
        Assert.Equal(
            [ReasonCodes.StatusDelivered, ReasonCodes.StatusFailed, ReasonCodes.StatusUndelivered, ReasonCodes.StatusUndelivered],
            (await h.TransitionsAsync()).Select(r => r.ReasonCode).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await h.TransitionsAsync()).Count(r => r.Decision == AuditDecision.Failed));
    }

    [Fact]
    public async Task OutcomeCounters_ConcurrentIncrements_NoneLost()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var at = h.Pipeline.Time.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            h.Pipeline.Traffic.RecordDeliveryAsync("racer", i % 2 == 0 ? MessageStatus.Undelivered : MessageStatus.Failed, null, false, at, CancellationToken.None))));

        var racer = await h.BucketAsync("racer");
        Assert.Equal((20L, 20L), (racer.Undelivered, racer.Failed));
    }

    [Fact]
    public async Task OptOut21610_WithTheMessagesNumber_SuppressesIt_AndTheNextSendIsRefused()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, await h.ProviderIdOf(id), "failed", 21610));

        Assert.True(await h.Pipeline.Suppressions.IsSuppressedAsync(TwilioHarness.To, CancellationToken.None));
        Assert.Equal([ReasonCodes.RecipientOptedOut], (await h.TransitionsAsync()).Select(r => r.ReasonCode));
        Assert.Equal(ReasonCodes.RecipientOptedOut, (await h.Pipeline.SendAsync("demo", "again")).Refusal?.Code);
    }

    [Theory]
    [InlineData("+12025550199")]
    [InlineData("not a number")]
    [InlineData(null)]
    public async Task OptOut21610_WithAnotherOrNoNumber_StatusAppliedButNothingSuppressed(string? to)
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, await h.ProviderIdOf(id), "failed", 21610, to));

        Assert.Equal(MessageStatus.Failed, (await RecordAsync(h, id)).Status);
        Assert.False(await h.Pipeline.Suppressions.IsSuppressedAsync(TwilioHarness.To, CancellationToken.None));
        if (PhoneNumberParser.TryParse(to, out var other, out _))
        {
            Assert.False(await h.Pipeline.Suppressions.IsSuppressedAsync(other, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("get", MessageStore.Table)]
    [InlineData("replace", MessageStore.Table)]
    [InlineData("upsert", SuppressionList.Table)]
    public async Task StorageFailureBeforeTheRecordChanges_Throws_NothingChanged_RetrySucceeds(string operation, string table)
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);
        h.Pipeline.Store.Fail(operation, table);

        await Assert.ThrowsAnyAsync<StorageException>(() => h.CallbackAsync(id, sid, "failed", 21610));

        h.Pipeline.Store.Heal();
        Assert.Equal(MessageStatus.Queued, (await RecordAsync(h, id)).Status);
        Assert.Empty(await h.TransitionsAsync());

        // Twilio retries after the 503: now it applies, once.
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "failed", 21610));
        Assert.Single(await h.TransitionsAsync());
        Assert.True(await h.Pipeline.Suppressions.IsSuppressedAsync(TwilioHarness.To, CancellationToken.None));
    }

    [Fact]
    public async Task Logs_CarryNoNumber()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);
        await h.CallbackAsync(id, sid, "failed", 21610);
        await h.CallbackAsync(id, DeliveryHarness.Sid(5), "failed", 21610, "+12025550199");

        var logs = string.Join("\n", h.Logs.Lines);
        Assert.Contains(id, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("2025550123", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("2025550199", logs, StringComparison.Ordinal);
    }
}
