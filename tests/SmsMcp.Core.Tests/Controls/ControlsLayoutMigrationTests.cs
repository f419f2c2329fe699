using SmsMcp.Core.Controls;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>
/// Controls stored by a previous version (partitions <c>kill</c> and <c>dryrun</c>, one row per subject) still hold once
/// the start-up migration moved them into the one partition sends read: an engaged kill switch keeps refusing, each
/// control keeps who changed it and when, a control set since in the new layout wins, and running it again changes nothing.
/// Each side of the move is one partition and goes out as one entity group transaction. Run on every backend.
/// </summary>
public abstract class ControlsLayoutMigrationTests
{
    private static readonly DateTimeOffset Then = new(2026, 10, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A store no other test uses.</summary>
    protected abstract ITableStore NewStore();

    [Fact]
    public async Task LegacyRows_AreMovedAtStart_AndKeepRefusing()
    {
        await using var h = await PipelineHarness.CreateAsync(store: NewStore());
        await LegacyAsync(h.Store, "kill", "caller:dev", engaged: true);
        await LegacyAsync(h.Store, "dryrun", "global", engaged: true);
        await LegacyAsync(h.Store, "kill", "caller:other", engaged: false);

        // Before the migration the walk reads only the new layout: this is what the start-up step is for.
        Assert.False(await h.Controls.IsSendingDisabledAsync("dev", CancellationToken.None));

        await new ControlsLayoutMigration(h.Controls, h.Store).StartAsync(CancellationToken.None);

        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsync("demo", "hi")).Refusal?.Code);
        Assert.Empty(h.Outbox());
        Assert.Equal(new ControlState(true, "legacy-ops", Then), await h.Controls.GetKillSwitchAsync("dev", CancellationToken.None));
        Assert.Equal(new ControlState(true, "legacy-ops", Then), await h.Controls.GetDryRunAsync(null, CancellationToken.None));
        Assert.Equal(new ControlState(false, "legacy-ops", Then), await h.Controls.GetKillSwitchAsync("other", CancellationToken.None));
        Assert.Equal(ControlState.NeverSet, await h.Controls.GetDryRunAsync("dev", CancellationToken.None));
        Assert.True(await h.Controls.IsDryRunAsync("other", CancellationToken.None));
        foreach (var partition in RuntimeControls.LegacyPartitions)
        {
            Assert.Empty((await h.Store.QueryPartitionAsync(RuntimeControls.Table, partition, null, null, 100, null, CancellationToken.None)).Entities);
        }
    }

    [Fact]
    public async Task ControlSetInTheNewLayout_WinsOverALegacyRow_AndASecondRunChangesNothing()
    {
        await using var h = await PipelineHarness.CreateAsync(store: NewStore());
        await h.Controls.SetKillSwitchAsync("dev", engaged: false, "new-ops", CancellationToken.None);
        var released = await h.Controls.GetKillSwitchAsync("dev", CancellationToken.None);
        await LegacyAsync(h.Store, "kill", "caller:dev", engaged: true);

        var migration = new ControlsLayoutMigration(h.Controls, h.Store);
        await migration.StartAsync(CancellationToken.None);
        await migration.StartAsync(CancellationToken.None);

        Assert.Equal(released, await h.Controls.GetKillSwitchAsync("dev", CancellationToken.None));
        Assert.NotNull((await h.SendAsync("demo", "hi")).Result);
    }

    [Fact]
    public async Task EachSideOfTheMove_IsOneTransaction()
    {
        var counting = new CountingTableStore(NewStore());
        await using var h = await PipelineHarness.CreateAsync(store: counting);
        foreach (var caller in new[] { "a", "b", "c" })
        {
            await LegacyAsync(h.Store, "kill", "caller:" + caller, engaged: true);
        }

        await LegacyAsync(h.Store, "dryrun", "global", engaged: true);
        counting.Reset();

        await new ControlsLayoutMigration(h.Controls, h.Store).StartAsync(CancellationToken.None);

        var requests = counting.Snapshot();
        // Per legacy partition: one transaction writing its subjects into "switches", one deleting them from the old partition.
        Assert.Equal(4, requests["transaction"]);
        Assert.False(requests.ContainsKey("insert") || requests.ContainsKey("replace") || requests.ContainsKey("delete"));
        Assert.Equal(4, requests["get"]);
        foreach (var caller in new[] { "a", "b", "c" })
        {
            Assert.True((await h.Controls.GetKillSwitchAsync(caller, CancellationToken.None)).Engaged);
        }

        Assert.True((await h.Controls.GetDryRunAsync(null, CancellationToken.None)).Engaged);
    }

    [Fact]
    public async Task ControlSetInTheNewLayoutDuringTheMove_RefusesTheWholeTransaction_ThenWins()
    {
        PipelineHarness? harness = null;
        var released = (ControlState?)null;
        int[]? movedWhenRefused = null;
        var inner = NewStore();
        var hooked = new TransactionHookTableStore(inner)
        {
            // An operator releases dev's kill switch (new layout) after the migration read the row, before its transaction.
            BeforeFirst = async () =>
            {
                await harness!.Controls.SetKillSwitchAsync("dev", engaged: false, "new-ops", CancellationToken.None);
                released = await harness.Controls.GetKillSwitchAsync("dev", CancellationToken.None);
            },
            AfterRejected = async _ => movedWhenRefused = [
                .. await Task.WhenAll(new[] { "a", "b" }.Select(async c => (await harness!.Controls.GetKillSwitchAsync(c, CancellationToken.None)).Engaged ? 1 : 0))],
        };
        await using var h = harness = await PipelineHarness.CreateAsync(store: hooked);
        await LegacyAsync(h.Store, "kill", "caller:a", engaged: true);
        await LegacyAsync(h.Store, "kill", "caller:b", engaged: true);
        await LegacyAsync(h.Store, "kill", "caller:dev", engaged: true);

        await new ControlsLayoutMigration(h.Controls, h.Store).StartAsync(CancellationToken.None);

        Assert.Equal(new[] { 0, 0 }, movedWhenRefused);
        Assert.Equal(released, await h.Controls.GetKillSwitchAsync("dev", CancellationToken.None));
        Assert.True((await h.Controls.GetKillSwitchAsync("a", CancellationToken.None)).Engaged);
        Assert.True((await h.Controls.GetKillSwitchAsync("b", CancellationToken.None)).Engaged);
        Assert.Empty((await h.Store.QueryPartitionAsync(RuntimeControls.Table, "kill", null, null, 100, null, CancellationToken.None)).Entities);
    }

    [Fact]
    public async Task StoreUnreachableAtStart_FailsTheStart()
    {
        await using var h = await PipelineHarness.CreateAsync(store: NewStore());
        h.Store.Fail("query", RuntimeControls.Table);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => new ControlsLayoutMigration(h.Controls, h.Store).StartAsync(CancellationToken.None));
    }

    private static Task LegacyAsync(ITableStore store, string partition, string row, bool engaged) =>
        store.UpsertAsync(RuntimeControls.Table, new TableEntity(partition, row, new Dictionary<string, object>
        {
            ["Engaged"] = engaged,
            ["ChangedBy"] = "legacy-ops",
            ["ChangedAt"] = Then,
        }), CancellationToken.None);
}
