using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>Dry-run mode, global and per caller: every check runs and is audited, nothing is sent, stored or counted.</summary>
[Collection(SequentialCollection.Name)]
public sealed class DryRunTests
{
    [Fact]
    public async Task GlobalDryRun_AllowedSend_IsAuditedNotSent_NoMessageRecord()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetDryRunAsync(null, engaged: true, "ops", CancellationToken.None);

        var outcome = await h.SendAsync("demo", "hi");
        Assert.True(outcome.Result?.DryRun);
        Assert.Empty(h.Outbox());
        Assert.Null(await h.Messages.GetAsync(PipelineHarness.Caller.Id, outcome.Result!.MessageId, CancellationToken.None));
        var record = Assert.Single(await TwoCallers.SendRecordsAsync(h));
        Assert.Equal((AuditDecision.Accepted, ReasonCodes.DryRun, outcome.Result.MessageId), (record.Decision, record.ReasonCode, record.MessageId));
    }

    [Fact]
    public async Task DryRun_StillRefusesWhatThePolicyRefuses_AndTheKillSwitchWins()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetDryRunAsync(null, engaged: true, "ops", CancellationToken.None);
        Assert.Equal(ReasonCodes.RecipientNotAllowed, (await h.SendAsync("+12025550199", "hi")).Refusal?.Code);

        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);
        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsync("demo", "hi")).Refusal?.Code);
        Assert.Empty(h.Outbox());
        Assert.Equal(2, (await TwoCallers.SendRecordsAsync(h)).Count);
    }

    [Fact]
    public async Task CallerDryRun_AppliesOnlyToThatCaller_AndReleaseRestoresSending()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetDryRunAsync("other", engaged: true, "ops", CancellationToken.None);

        Assert.True((await h.SendAsAsync(TwoCallers.Other, "demo", "hi")).Result?.DryRun);
        Assert.False((await h.SendAsync("demo", "hi")).Result?.DryRun);
        Assert.Single(h.Outbox());

        await h.Controls.SetDryRunAsync("other", engaged: false, "ops", CancellationToken.None);
        Assert.False((await h.SendAsAsync(TwoCallers.Other, "demo", "hi")).Result?.DryRun);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task DryRunWithIdempotencyKey_ClaimsNothing_ALaterRealSendGoesOut()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetDryRunAsync(null, engaged: true, "ops", CancellationToken.None);
        Assert.True((await h.SendAsync("demo", "hi", key: "k-1")).Result?.DryRun);

        await h.Controls.SetDryRunAsync(null, engaged: false, "ops", CancellationToken.None);
        var real = await h.SendAsync("demo", "hi", key: "k-1");
        Assert.False(real.Result?.Replayed);
        Assert.Single(h.Outbox());
    }

    [Fact]
    public async Task EveryChange_IsAudited_AndReadable()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetDryRunAsync("other", engaged: true, "ops", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Controls.SetDryRunAsync("other", engaged: false, "ops", CancellationToken.None);

        var changes = (await h.AuditAsync()).Where(r => r.Tool == RuntimeControls.DryRunTool).Select(r => (r.CallerId, r.ReasonCode, r.MessageId)).ToList();
        Assert.Equal([("ops", RuntimeControls.DryRunEngaged, "caller:other"), ("ops", RuntimeControls.DryRunReleased, "caller:other")], changes);
        Assert.Equal(new ControlState(false, "ops", h.Time.GetUtcNow()), await h.Controls.GetDryRunAsync("other", CancellationToken.None));
        Assert.Equal(ControlState.NeverSet, await h.Controls.GetDryRunAsync(null, CancellationToken.None));
    }
}
