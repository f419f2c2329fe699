using System.Globalization;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Delivery;

/// <summary>
/// Where message records live (issue 16): in the audit trail's table, in the day partition their id names, with a
/// pending marker beside them — and the layout before it (table <c>Messages</c> by caller, <c>MessageIndex</c> owner and
/// hourly pending rows), whose rows are written here directly, as a deployment left them, and must still answer status
/// queries, callbacks and reconciliation.
/// </summary>
public sealed class MessageLayoutTests
{
    private const string Caller = "dev";

    [Fact]
    public async Task SentMessage_RecordAndMarkerInItsIdsDayPartition_InvisibleToAuditReaders_OtherCallersSeeNothing()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var id = (await h.SendAsync("demo", "hello")).Result!.MessageId;

        var day = AuditLog.PartitionOf(h.Clock.GetUtcNow());
        Assert.Equal(day, MessageStore.PartitionOf(id));
        var stored = await h.Store.GetAsync(AuditLog.Table, day, id, CancellationToken.None);
        Assert.Equal(Caller, stored?.Get<string>("CallerId"));
        Assert.NotNull(await h.Store.GetAsync(AuditLog.Table, day, "p:" + id, CancellationToken.None));
        Assert.Null(await h.Store.GetAsync(MessageStore.LegacyTable, Caller, id, CancellationToken.None));
        Assert.Null(await h.Store.GetAsync(MessageIndex.LegacyTable, id, "owner", CancellationToken.None));

        // The verifier reads only the audit records of the day: the message record and marker beside them are no records.
        var verification = await h.Verifier.VerifyAsync(DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.Equal(1, verification.Records);
        Assert.Single(await h.AuditAsync());

        Assert.NotNull(await h.Messages.GetAsync(Caller, id, CancellationToken.None));
        Assert.Null(await h.Messages.GetAsync("someone-else", id, CancellationToken.None));
        Assert.Null(await h.Messages.GetForUpdateAsync("someone-else", id, CancellationToken.None));
    }

    [Fact]
    public async Task CallbackOvertakesTheCompletion_AuditCompletedAlone_StatusNeverMovesBack()
    {
        // The carrier reports "undelivered" (final) while the send still waits for the create's answer: the completion
        // transaction's message write meets a changed record (412 at its index), so the audit completion goes alone and
        // the record is read and merged.
        var directory = Directory.CreateTempSubdirectory("smsmcp-overtaken-").FullName;
        using var sandbox = new SmsMcp.Infrastructure.Sandbox.SandboxSmsProvider(Path.Combine(directory, "outbox.jsonl"), TimeProvider.System);
        DeliveryStatusService? service = null;
        var provider = new MarkingSmsProvider(sandbox, async message =>
            Assert.Equal(DeliveryUpdateOutcome.Applied, await service!.ApplyAsync(
                SmsMcp.Infrastructure.Twilio.TwilioDeliveryReports.From(message.MessageId, DeliveryHarness.Sid(5), "undelivered", 30003, null),
                DeliveryStatusService.CallbackTool, CancellationToken.None)));
        await using var h = await PipelineHarness.CreateAsync(provider: provider);
        service = new DeliveryStatusService(h.Messages, h.Audit, h.Traffic, h.Suppressions, h.Pseudonymizer, h.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DeliveryStatusService>.Instance);

        var id = (await h.SendAsync("demo", "overtaken")).Result!.MessageId;

        var record = await h.Messages.GetAsync(Caller, id, CancellationToken.None);
        Assert.Equal((MessageStatus.Undelivered, DeliveryHarness.Sid(5)), (record?.Status, record?.ProviderMessageId));
        var attempt = Assert.Single(await h.AuditAsync(), r => r.Tool == "send_sms");
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted), (attempt.Stage, attempt.Decision));
        var verification = await h.Verifier.VerifyAsync(DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FinalCallback_DeletesTheMarkerWithTheRecordsReplace_OrReplacesAloneWhenItIsGone(bool markerThere)
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);
        var day = MessageStore.PartitionOf(id)!;
        Assert.NotNull(await h.Pipeline.Store.GetAsync(AuditLog.Table, day, "p:" + id, CancellationToken.None));
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "sent"));
        Assert.NotNull(await h.Pipeline.Store.GetAsync(AuditLog.Table, day, "p:" + id, CancellationToken.None));
        h.Pipeline.Time.Advance(TimeSpan.FromSeconds(1));
        if (!markerThere)
        {
            await h.Pipeline.Store.DeleteAsync(AuditLog.Table, day, "p:" + id, "*", CancellationToken.None);
        }

        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(id, sid, "delivered"));

        Assert.Equal(MessageStatus.Delivered, (await h.Pipeline.Messages.GetAsync(Caller, id, CancellationToken.None))?.Status);
        Assert.Null(await h.Pipeline.Store.GetAsync(AuditLog.Table, day, "p:" + id, CancellationToken.None));
        Assert.Equal([ReasonCodes.StatusSent, ReasonCodes.StatusDelivered], (await h.TransitionsAsync()).Select(r => r.ReasonCode));
    }

    [Fact]
    public async Task IdsFromTheClock_NameTheirDay_AndAnIdPastYear9999NamesNone()
    {
        var at = new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
        Assert.Equal("20261231", MessageStore.PartitionOf(MessageStore.NewMessageId(at)));
        Assert.Equal("20270101", MessageStore.PartitionOf(MessageStore.NewMessageId(at.AddMilliseconds(1))));
        Assert.True(MessageStore.IsWellFormedId(MessageStore.NewMessageId(at)));
        Assert.Null(MessageStore.PartitionOf("msg_ffffffffffff7000800000000000000a"));
        Assert.Null(MessageStore.PartitionOf("msg_not-an-id"));
    }

    [Fact]
    public async Task RequestApprovedDaysLater_RecordAndMarkerInTheHeldDay_AuditInTheSendDay_Reconciled()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var pipeline = h.Pipeline;
        var heldAt = pipeline.Time.GetUtcNow();
        var id = MessageStore.NewMessageId(heldAt);
        // A held request as the pipeline leaves it: the pending_approval record, then the approval.
        var held = new MessageRecord
        {
            MessageId = id, CallerId = Caller, RecipientMasked = "+1 ********23", RecipientRef = pipeline.Pseudonymizer.Recipient(TwilioHarness.ToE164),
            Status = MessageStatus.PendingApproval, Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "twilio", CreatedAt = heldAt, UpdatedAt = heldAt,
        };
        await pipeline.Messages.InsertAsync(held, CancellationToken.None);
        await pipeline.ApprovalStore.CreateAsync(new PendingApproval(id, Caller, "demo", "approved later", heldAt, heldAt + TimeSpan.FromDays(3), ApprovalState.Pending), CancellationToken.None);
        // Two and a half days later (a request written under a longer lifetime): another day, and further back than the
        // reconciler's look-back (2 days), which counts from when a message was queued, not from when its id was minted.
        pipeline.Time.Advance(TimeSpan.FromDays(2.5));

        var approved = await pipeline.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None);

        Assert.Equal(id, approved.Send?.Result?.MessageId);
        var heldDay = AuditLog.PartitionOf(heldAt);
        Assert.NotEqual(heldDay, AuditLog.PartitionOf(pipeline.Time.GetUtcNow()));
        var record = await pipeline.Messages.GetAsync(Caller, id, CancellationToken.None);
        Assert.Equal(MessageStatus.Queued, record?.Status);
        Assert.NotNull(record?.ProviderMessageId);
        Assert.NotNull(await pipeline.Store.GetAsync(AuditLog.Table, heldDay, "p:" + id, CancellationToken.None));
        var attempt = Assert.Single(await pipeline.AuditAsync(), r => r.Tool == "send_sms" && r.MessageId == id);
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted), (attempt.Stage, attempt.Decision));

        // The reconciler finds the marker in the held day though the message was queued days after.
        pipeline.Time.Advance(TimeSpan.FromMinutes(11));
        var summary = await h.Reconciler.RunAsync(CancellationToken.None);
        Assert.Equal((1, 1), (summary.Fetched, summary.Applied));
        Assert.Equal(MessageStatus.Delivered, (await pipeline.Messages.GetAsync(Caller, id, CancellationToken.None))?.Status);
        Assert.Null(await pipeline.Store.GetAsync(AuditLog.Table, heldDay, "p:" + id, CancellationToken.None));
    }

    [Fact]
    public async Task OldLayoutMessage_StatusQuery_Callback_Reconcile_AllFindIt_AndItsPendingRowGoes()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var store = h.Pipeline.Store;
        var queuedAt = h.Pipeline.Time.GetUtcNow();
        var byCallback = await WriteOldLayoutAsync(store, queuedAt, DeliveryHarness.Sid(901));
        var byReconcile = await WriteOldLayoutAsync(store, queuedAt, DeliveryHarness.Sid(902));

        // Status query: the caller's own, nobody else's.
        Assert.Equal(MessageStatus.Sent, (await h.Pipeline.Messages.GetAsync(Caller, byCallback, CancellationToken.None))?.Status);
        Assert.Null(await h.Pipeline.Messages.GetAsync("someone-else", byCallback, CancellationToken.None));

        // A callback finds the caller through the old owner row and updates the record where it is.
        Assert.Equal(DeliveryUpdateOutcome.Applied, await h.CallbackAsync(byCallback, DeliveryHarness.Sid(901), "delivered"));
        Assert.Equal(nameof(MessageStatus.Delivered), (await store.GetAsync(MessageStore.LegacyTable, Caller, byCallback, CancellationToken.None))?.Get<string>("Status"));
        Assert.Null(await store.GetAsync(MessageIndex.LegacyTable, PendingPartition(queuedAt), byCallback, CancellationToken.None));
        Assert.Equal(DeliveryUpdateOutcome.Duplicate, await h.CallbackAsync(byCallback, DeliveryHarness.Sid(901), "delivered"));
        Assert.Equal(DeliveryUpdateOutcome.Mismatch, await h.CallbackAsync(byReconcile, DeliveryHarness.Sid(999), "delivered"));

        // The reconciler reads the old hourly pending partition, fetches, applies, and takes the row off.
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(30));
        h.FetchedStatus = ("undelivered", 30003);
        var summary = await h.Reconciler.RunAsync(CancellationToken.None);
        Assert.Equal((1, 1, 1), (summary.Examined, summary.Fetched, summary.Applied));
        var reconciled = await h.Pipeline.Messages.GetAsync(Caller, byReconcile, CancellationToken.None);
        Assert.Equal((MessageStatus.Undelivered, 30003), (reconciled?.Status, reconciled?.ErrorCode));
        Assert.Null(await store.GetAsync(MessageIndex.LegacyTable, PendingPartition(queuedAt), byReconcile, CancellationToken.None));
        Assert.Equal(0, (await h.Reconciler.RunAsync(CancellationToken.None)).Examined);
        Assert.Equal([ReasonCodes.StatusDelivered, ReasonCodes.StatusUndelivered], (await h.TransitionsAsync()).Select(r => r.ReasonCode));

        // Nothing was copied into the new layout.
        Assert.Null(await store.GetAsync(AuditLog.Table, MessageStore.PartitionOf(byCallback)!, byCallback, CancellationToken.None));
    }

    [Fact]
    public async Task OldLayoutPendingRowWithoutRecord_Settled()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var store = h.Pipeline.Store;
        var queuedAt = h.Pipeline.Time.GetUtcNow();
        var id = MessageStore.NewMessageId(queuedAt);
        await store.UpsertAsync(MessageIndex.LegacyTable, new TableEntity(PendingPartition(queuedAt), id,
            new Dictionary<string, object> { ["CallerId"] = Caller, ["QueuedAt"] = queuedAt }), CancellationToken.None);
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(1, (await h.Reconciler.RunAsync(CancellationToken.None)).Settled);
        Assert.Null(await store.GetAsync(MessageIndex.LegacyTable, PendingPartition(queuedAt), id, CancellationToken.None));
        Assert.Equal(DeliveryUpdateOutcome.UnknownMessage, await h.CallbackAsync(id, DeliveryHarness.Sid(1), "delivered"));
    }

    /// <summary>A sent message as the layout before issue 16 stored it: record by caller, owner row, hourly pending row.</summary>
    private static async Task<string> WriteOldLayoutAsync(ITableStore store, DateTimeOffset queuedAt, string sid)
    {
        // Old ids came from the system clock; any day will do, the old layout never looked at it.
        var id = "msg_" + Guid.CreateVersion7(queuedAt.AddDays(-3)).ToString("N");
        await store.InsertAsync(MessageStore.LegacyTable, new TableEntity(Caller, id, new Dictionary<string, object>
        {
            ["RecipientMasked"] = "+1 ********23",
            ["RecipientRef"] = "r_old",
            ["Status"] = nameof(MessageStatus.Sent),
            ["Segments"] = 1,
            ["Encoding"] = "Gsm7",
            ["Provider"] = "twilio",
            ["ProviderMessageId"] = sid,
            ["CreatedAt"] = queuedAt,
            ["UpdatedAt"] = queuedAt,
        }), CancellationToken.None);
        await store.UpsertAsync(MessageIndex.LegacyTable, new TableEntity(id, "owner", new Dictionary<string, object> { ["CallerId"] = Caller }), CancellationToken.None);
        await store.UpsertAsync(MessageIndex.LegacyTable, new TableEntity(PendingPartition(queuedAt), id,
            new Dictionary<string, object> { ["CallerId"] = Caller, ["QueuedAt"] = queuedAt }), CancellationToken.None);
        return id;
    }

    private static string PendingPartition(DateTimeOffset at) => "pending-" + at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
