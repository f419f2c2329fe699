using SmsMcp.Core.Controls;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Controls;

/// <summary>
/// Controls stored by a previous version (partitions <c>kill</c> and <c>dryrun</c>, one row per subject) still hold once
/// the start-up migration moved them into the one partition sends read: an engaged kill switch keeps refusing, each
/// control keeps who changed it and when, a control set since in the new layout wins, and running it again changes nothing.
/// </summary>
public sealed class ControlsLayoutMigrationTests
{
    private static readonly DateTimeOffset Then = new(2026, 10, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task LegacyRows_AreMovedAtStart_AndKeepRefusing()
    {
        await using var h = await PipelineHarness.CreateAsync();
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
        await using var h = await PipelineHarness.CreateAsync();
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
    public async Task StoreUnreachableAtStart_FailsTheStart()
    {
        await using var h = await PipelineHarness.CreateAsync();
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
