using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>The kill switch, global and per caller: read from storage on every send, first of all checks, every change audited.</summary>
[Collection(SequentialCollection.Name)]
public sealed class KillSwitchTests
{
    [Fact]
    public async Task GlobalSwitch_RefusesEveryCallerBeforeThePolicy_NothingSent_OneAuditRecordEach()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);

        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsync("demo", "hi")).Refusal?.Code);
        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsAsync(TwoCallers.Other, "demo", "hi")).Refusal?.Code);
        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsync("mom", "hi")).Refusal?.Code);
        Assert.Equal(ReasonCodes.SendingDisabled, (await h.Pipeline.PreviewAsync(PipelineHarness.Caller, "demo", "hi", CancellationToken.None)).Refusal?.Code);

        Assert.Empty(h.Outbox());
        Assert.All(await TwoCallers.SendRecordsAsync(h), r => Assert.Equal((AuditDecision.Denied, ReasonCodes.SendingDisabled), (r.Decision, r.ReasonCode)));
        Assert.Equal(3, (await TwoCallers.SendRecordsAsync(h)).Count);
    }

    [Fact]
    public async Task CallerSwitch_StopsOnlyThatCaller_AndReleaseRestoresSending()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetKillSwitchAsync("other", engaged: true, "ops", CancellationToken.None);

        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsAsync(TwoCallers.Other, "demo", "hi")).Refusal?.Code);
        Assert.NotNull((await h.SendAsync("demo", "hi")).Result);

        await h.Controls.SetKillSwitchAsync("other", engaged: false, "ops", CancellationToken.None);
        Assert.NotNull((await h.SendAsAsync(TwoCallers.Other, "demo", "hi")).Result);
        Assert.Equal(2, h.Outbox().Count);
    }

    [Fact]
    public async Task EveryChange_IsAudited()
    {
        await using var h = await TwoCallers.CreateAsync();
        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Controls.SetKillSwitchAsync(null, engaged: false, "ops", CancellationToken.None);

        var changes = (await h.AuditAsync()).Where(r => r.Tool == RuntimeControls.KillSwitchTool).Select(r => (r.CallerId, r.ReasonCode)).ToList();
        Assert.Equal([("ops", RuntimeControls.KillSwitchEngaged), ("ops", RuntimeControls.KillSwitchReleased)], changes);
    }

    [Fact]
    public async Task ChangeThatCannotBeAudited_IsNotMade()
    {
        await using var h = await TwoCallers.CreateAsync();
        h.Store.Fail("insert", AuditLog.Table);
        await Assert.ThrowsAnyAsync<Exception>(() => h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None));
        h.Store.Heal();
        Assert.False(await h.Controls.IsSendingDisabledAsync("dev", CancellationToken.None));
    }

    [Fact]
    public async Task ControlsUnreadable_FailsClosed()
    {
        await using var h = await TwoCallers.CreateAsync();
        // A send reads every control it needs in one partition query.
        h.Store.Fail("query", RuntimeControls.Table);

        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.SendAsync("demo", "hi")).Refusal?.Code);
        Assert.Empty(h.Outbox());
    }
}
