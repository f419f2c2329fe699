using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>
/// First-contact approval: a send to a number the caller never texted waits for an operator; approving sends it once
/// through the pipeline, denying or letting it expire sends nothing; the stored text is erased on resolution.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class FirstContactApprovalTests
{
    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" }, "other": { "number": "+12025550124" } },
          "profiles": {
            "careful": { "allow": { "recipients": ["demo", "other"] }, "countries": ["US"], "approval": "firstContact" },
            "plain": { "allow": { "recipients": ["demo"] }, "countries": ["US"] }
          },
          "callers": { "dev": "careful", "free": "plain" }
        }
        """;

    private static Task<PipelineHarness> CreateAsync() => PipelineHarness.CreateAsync(policy: PipelineHarness.ParsePolicy(Policy));

    private static async Task<string> HoldAsync(PipelineHarness h, string to = "demo")
    {
        var outcome = await h.SendAsync(to, "first hello");
        Assert.Equal(MessageStatus.PendingApproval, outcome.Result?.Status);
        return outcome.Result!.MessageId;
    }

    [Fact]
    public async Task RequireApproval_HoldsEvenAKnownContact_UnderAProfileWithoutApproval_ApprovingSendsOnce()
    {
        // A confirming profile's fallback for a client that cannot ask: held for an operator whatever the history.
        await using var h = await CreateAsync();
        var caller = new CallerIdentity("free");
        Assert.NotEqual(MessageStatus.PendingApproval, (await h.SendAsAsync(caller, "demo", "known now")).Result?.Status);
        Assert.Single(h.Outbox());

        var held = await h.Pipeline.SendAsync(new SendRequest(caller, "demo", "held anyway", RequireApproval: true), CancellationToken.None);

        Assert.Equal(MessageStatus.PendingApproval, held.Result?.Status);
        Assert.Single(h.Outbox());
        var approved = await h.Approvals.ApproveAsync(held.Result!.MessageId, "admin:ops", CancellationToken.None);
        Assert.Equal((ApprovalResultKind.Done, ApprovalState.Approved), (approved.Kind, approved.State));
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task FirstContact_IsHeld_NothingSent_AuditedPending_StatusVisible()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);

        Assert.Empty(h.Outbox());
        var record = Assert.Single(await h.AuditAsync(), r => r.Tool == "send_sms");
        Assert.Equal((AuditDecision.Pending, ReasonCodes.PendingApproval, id), (record.Decision, record.ReasonCode, record.MessageId));
        Assert.Equal(MessageStatus.PendingApproval, (await h.Messages.GetAsync("dev", id, CancellationToken.None))?.Status);
        Assert.Equal(ApprovalState.Pending, (await h.ApprovalStore.GetAsync(id, CancellationToken.None))?.State);
    }

    [Fact]
    public async Task Approve_SendsOnce_UnderTheRequestId_ErasesTheText_AndTheNumberIsKnownAfterwards()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);

        var approved = await h.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None);
        Assert.Equal((ApprovalResultKind.Done, ApprovalState.Approved), (approved.Kind, approved.State));
        Assert.Equal(id, approved.Send?.Result?.MessageId);
        Assert.Single(h.Outbox());
        Assert.Equal(MessageStatus.Delivered, (await h.Messages.GetAsync("dev", id, CancellationToken.None))?.Status);
        var stored = await h.ApprovalStore.GetAsync(id, CancellationToken.None);
        Assert.Equal(("", ""), (stored!.To, stored.Body));

        Assert.Equal(ApprovalResultKind.AlreadyResolved, (await h.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None)).Kind);
        Assert.Equal(ApprovalResultKind.AlreadyResolved, (await h.Approvals.DenyAsync(id, "admin:ops", CancellationToken.None)).Kind);
        Assert.Single(h.Outbox());

        Assert.NotEqual(MessageStatus.PendingApproval, (await h.SendAsync("demo", "second")).Result?.Status);
        Assert.Equal(2, h.Outbox().Count);
        Assert.Equal(MessageStatus.PendingApproval, (await h.SendAsync("other", "hi")).Result?.Status);
        Assert.Contains(await h.AuditAsync(), r => r.Tool == ApprovalService.Tool && r.ReasonCode == ApprovalService.Approved && r.CallerId == "admin:ops" && r.MessageId == id);
    }

    [Fact]
    public async Task Deny_SendsNothing_CallerSeesDenied()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);

        var denied = await h.Approvals.DenyAsync(id, "admin:ops", CancellationToken.None);
        Assert.Equal((ApprovalResultKind.Done, ApprovalState.Denied), (denied.Kind, denied.State));
        Assert.Empty(h.Outbox());
        Assert.Equal(MessageStatus.Denied, (await h.Messages.GetAsync("dev", id, CancellationToken.None))?.Status);
        Assert.Equal("", (await h.ApprovalStore.GetAsync(id, CancellationToken.None))!.Body);
        Assert.Contains(await h.AuditAsync(), r => r.Tool == ApprovalService.Tool && r.ReasonCode == ApprovalService.Denied && r.MessageId == id);
    }

    /// <summary>
    /// A replay-only request (a confirming profile's repeat of a send its user confirmed) answers with the first result
    /// of its key, or — when the key is free after all — sends nothing and leaves the key free; it is never held for an
    /// operator either, though this caller's profile holds first contacts.
    /// </summary>
    [Fact]
    public async Task ReplayOnly_AnswersTheFirstResult_OrSendsNothing_AndIsNeverHeld()
    {
        await using var h = await CreateAsync();
        var caller = new CallerIdentity("dev");

        var unconfirmed = await h.Pipeline.SendAsync(new SendRequest(caller, "demo", "never confirmed", "free-key", ReplayOnly: true), CancellationToken.None);
        Assert.Equal(ReasonCodes.ConfirmationExpired, unconfirmed.Refusal?.Code);
        Assert.Empty(h.Outbox());
        Assert.Empty(await h.ApprovalStore.ListPendingAsync(DateTimeOffset.MinValue, 10, CancellationToken.None));
        var record = Assert.Single(await h.AuditAsync(), r => r.Tool == "send_sms");
        Assert.Equal((AuditDecision.Denied, ReasonCodes.ConfirmationExpired), (record.Decision, record.ReasonCode));

        // The key was given back: the caller's own later send with it goes the normal way (held: a first contact).
        var held = await h.Pipeline.SendAsync(new SendRequest(caller, "demo", "never confirmed", "free-key"), CancellationToken.None);
        Assert.Equal(MessageStatus.PendingApproval, held.Result?.Status);
        await h.Approvals.ApproveAsync(held.Result!.MessageId, "admin:ops", CancellationToken.None);
        var first = await h.Pipeline.SendAsync(new SendRequest(caller, "demo", "confirmed", "used-key"), CancellationToken.None);
        Assert.Equal(2, h.Outbox().Count);

        var replayed = await h.Pipeline.SendAsync(new SendRequest(caller, "demo", "confirmed", "used-key", ReplayOnly: true), CancellationToken.None);
        Assert.Equal((first.Result!.MessageId, true), (replayed.Result?.MessageId, replayed.Result?.Replayed));
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task ExpiryJob_ResolvesOnlyRequestsPastTheirLifetime_ErasesTheText_CallerSeesExpired_Audited()
    {
        await using var h = await CreateAsync();
        var lifetime = new ApprovalOptions().Lifetime;
        var first = await HoldAsync(h);
        h.Time.Advance(TimeSpan.FromHours(1));
        var second = await HoldAsync(h, "other");

        Assert.Equal(0, await h.Approvals.ExpireDueAsync(CancellationToken.None));
        h.Time.Advance(lifetime - TimeSpan.FromHours(1));
        Assert.Equal(1, await h.Approvals.ExpireDueAsync(CancellationToken.None));

        var expired = await h.ApprovalStore.GetAsync(first, CancellationToken.None);
        Assert.Equal((ApprovalState.Expired, "", ""), (expired!.State, expired.To, expired.Body));
        Assert.Equal(MessageStatus.Expired, (await h.Messages.GetAsync("dev", first, CancellationToken.None))?.Status);
        Assert.Contains(await h.AuditAsync(), r => r.Tool == ApprovalService.Tool && r.ReasonCode == ApprovalService.ExpiredCode
            && r.CallerId == Actors.ApprovalExpiry && r.MessageId == first);
        Assert.Equal(ApprovalState.Pending, (await h.ApprovalStore.GetAsync(second, CancellationToken.None))?.State);
        Assert.Equal(ApprovalResultKind.AlreadyResolved, (await h.Approvals.ApproveAsync(first, "admin:ops", CancellationToken.None)).Kind);

        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.Approvals.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(0, await h.Approvals.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(MessageStatus.Expired, (await h.Messages.GetAsync("dev", second, CancellationToken.None))?.Status);
        Assert.Empty(h.Outbox());
        Assert.Equal(second, await h.ApprovalStore.GetExpiryMarkAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ExpiryJob_ARequestWithALongerLifetime_HoldsTheMarkBack_UntilItExpiresToo()
    {
        await using var h = await CreateAsync();
        var lifetime = new ApprovalOptions().Lifetime;
        var created = h.Time.GetUtcNow();
        var longLived = MessageStore.NewMessageId(created);
        await h.ApprovalStore.CreateAsync(new PendingApproval(longLived, "dev", "demo", "written under a 3-day lifetime", created, created + (3 * lifetime), ApprovalState.Pending), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMilliseconds(5));
        var ordinary = await HoldAsync(h);

        h.Time.Advance(lifetime + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Approvals.ExpireDueAsync(CancellationToken.None));
        Assert.Equal(ApprovalState.Expired, (await h.ApprovalStore.GetAsync(ordinary, CancellationToken.None))?.State);
        Assert.Equal(ApprovalState.Pending, (await h.ApprovalStore.GetAsync(longLived, CancellationToken.None))?.State);
        Assert.Equal(longLived, await h.ApprovalStore.GetExpiryMarkAsync(CancellationToken.None));

        h.Time.Advance(2 * lifetime);
        Assert.Equal(1, await h.Approvals.ExpireDueAsync(CancellationToken.None));
        var expired = await h.ApprovalStore.GetAsync(longLived, CancellationToken.None);
        Assert.Equal((ApprovalState.Expired, ""), (expired!.State, expired.Body));
    }

    [Fact]
    public async Task AfterTheLifetime_ApprovalExpires_NothingSent()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);
        h.Time.Advance(new ApprovalOptions().Lifetime);

        var late = await h.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None);
        Assert.Equal((ApprovalResultKind.Expired, ApprovalState.Expired), (late.Kind, late.State));
        Assert.Empty(h.Outbox());
        Assert.Equal(MessageStatus.Expired, (await h.Messages.GetAsync("dev", id, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task ApprovedButKillSwitchEngagedSinceThen_IsRefused_NothingSent_StatusFailed()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);
        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);

        var approved = await h.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None);
        Assert.Equal(ReasonCodes.SendingDisabled, approved.Send?.Refusal?.Code);
        Assert.Empty(h.Outbox());
        Assert.Equal(MessageStatus.Failed, (await h.Messages.GetAsync("dev", id, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task Listing_ShowsOnlyWaitingUnexpiredRequests_OldestFirst()
    {
        await using var h = await CreateAsync();
        var first = await HoldAsync(h, "demo");
        h.Time.Advance(TimeSpan.FromHours(1));
        var second = await HoldAsync(h, "other");
        Assert.Equal([first, second], (await h.Approvals.ListPendingAsync(CancellationToken.None)).Select(r => r.RequestId));

        await h.Approvals.DenyAsync(second, "admin:ops", CancellationToken.None);
        Assert.Equal([first], (await h.Approvals.ListPendingAsync(CancellationToken.None)).Select(r => r.RequestId));

        h.Time.Advance(new ApprovalOptions().Lifetime - TimeSpan.FromHours(1));
        Assert.Empty(await h.Approvals.ListPendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task UnknownRequest_IsNotFound()
    {
        await using var h = await CreateAsync();
        Assert.Equal(ApprovalResultKind.NotFound, (await h.Approvals.ApproveAsync(MessageStore.NewMessageId(h.Time.GetUtcNow()), "admin:ops", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task ProfileWithoutApproval_SendsAtOnce()
    {
        await using var h = await CreateAsync();
        var outcome = await h.SendAsAsync(new("free"), "demo", "hi");
        Assert.Equal(MessageStatus.Delivered, outcome.Result?.Status);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task ContactBookUnreadable_FailsClosed()
    {
        await using var h = await CreateAsync();
        h.Store.Fail("get", ContactBook.Table);
        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.SendAsync("demo", "hi")).Refusal?.Code);
        Assert.Empty(h.Outbox());
    }

    [Fact]
    public async Task HoldWhoseMessageRecordFails_LeavesNoApprovalToActOn()
    {
        await using var h = await CreateAsync();
        h.Store.Fail("insert", MessageStore.Table);
        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.SendAsync("demo", "hi")).Refusal?.Code);

        h.Store.Heal();
        Assert.Empty(await h.Approvals.ListPendingAsync(CancellationToken.None));
        Assert.Empty(h.Outbox());
    }

    [Fact]
    public async Task KnownContact_IsNotWrittenAgain_WhenTheWalkAlreadyReadIt()
    {
        await using var h = await CreateAsync();
        var id = await HoldAsync(h);
        await h.Approvals.ApproveAsync(id, "admin:ops", CancellationToken.None);
        var recipientRef = h.Pseudonymizer.Recipient("+12025550123");
        var first = await h.Store.GetAsync(ContactBook.Table, "dev", recipientRef, CancellationToken.None);
        Assert.NotNull(first);

        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(MessageStatus.Delivered, (await h.SendAsync("demo", "again")).Result?.Status);
        Assert.Equal(2, h.Outbox().Count);
        var after = await h.Store.GetAsync(ContactBook.Table, "dev", recipientRef, CancellationToken.None);
        Assert.Equal(first!.ETag, after!.ETag);
        Assert.Equal(first.Properties["RecordedAt"], after.Properties["RecordedAt"]);
    }

    [Fact]
    public void InvalidApprovalMode_FailsNamingTheField()
    {
        var policy = PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Policy.Replace("\"firstContact\"", "\"always\"", StringComparison.Ordinal)),
            PipelineHarness.Shorteners, out var errors);
        Assert.Null(policy);
        Assert.Contains(errors, e => e.StartsWith("profiles.careful.approval:", StringComparison.Ordinal));
    }
}
