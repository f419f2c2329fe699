using SmsMcp.Core.Audit;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>The trail the real <see cref="SendPipeline"/> writes (SQLite, sandbox provider) verifies as intact.</summary>
[Collection(SequentialCollection.Name)]
public sealed class AuditPipelineVerificationTests
{
    private static DateOnly Today(PipelineHarness h) => DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime);

    private static async Task<AuditVerification> VerifyAsync(PipelineHarness h) => await h.Verifier.VerifyAsync(Today(h), CancellationToken.None);

    [Fact]
    public async Task TwentyParallelSends_OneWriter_VerifyIntact()
    {
        await using var h = await PipelineHarness.CreateAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => h.SendAsync(i % 5 == 0 ? "mom" : "demo", $"hello {i}"))));

        Assert.Equal(16, outcomes.Count(o => o.Result is not null));
        var result = await VerifyAsync(h);
        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Equal((20, 20, 1), (result.Records, result.Completed, result.Chains));
        Assert.Empty(result.Pending);
    }

    [Fact]
    public async Task TwoInstancesWritingConcurrently_VerifyIntact_TwoChains()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var second = new SendPipeline(h.Policy, h.Suppressions, h.Contacts, h.Lookups, h.ApprovalStore, Microsoft.Extensions.Options.Options.Create(new SmsMcp.Core.Approvals.ApprovalOptions()), h.Controls, new AuditLog(h.Store, h.Sealer, h.Time), h.Messages, h.Idempotency, h.Quotas,
            h.Sandbox, new Pseudonymizer(new byte[32]), h.Traffic, h.Metrics, h.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<SendPipeline>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => i % 2 == 0
            ? h.SendAsync("demo", $"first {i}")
            : second.SendAsync(new SendRequest(PipelineHarness.Caller, "demo", $"second {i}", null), CancellationToken.None))));

        var result = await VerifyAsync(h);
        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Equal((20, 2), (result.Records, result.Chains));
    }

    [Fact]
    public async Task CrashBetweenAttemptAndCompletion_VerifiesIntact_AndIsReportedPending()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.SendAsync("demo", "before");
        h.Store.Fail("replace", AuditLog.Table);
        await h.SendAsync("demo", "completion lost");
        h.Store.Heal();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.SendAsync("demo", "after");

        var result = await VerifyAsync(h);

        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        var pending = Assert.Single(result.Pending);
        Assert.Equal(AuditStage.Attempt, (await h.AuditAsync()).Single(r => r.Id == pending).Stage);
        Assert.Equal((3, 2), (result.Records, result.Completed));
    }

    [Fact]
    public async Task AuditWriteFailsMidRun_LaterRecordsStillVerify()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.SendAsync("demo", "one");
        h.Store.Fail("insert", AuditLog.Table);
        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.SendAsync("demo", "two")).Refusal?.Code);
        h.Store.Heal();
        await h.SendAsync("demo", "three");
        await h.SendAsync("mom", "four");

        var result = await VerifyAsync(h);

        // The failed write ended its chain rather than leaving a gap that would read as a deletion.
        Assert.True(result.IsIntact, result.FirstProblem?.Detail);
        Assert.Equal((3, 2), (result.Records, result.Chains));
    }

    [Fact]
    public async Task KillSwitchChangeEdited_VerifyNamesIt()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.SendAsync("demo", "one");
        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);
        await h.SendAsync("demo", "two");
        Assert.True((await VerifyAsync(h)).IsIntact);

        var change = (await h.AuditAsync()).Single(r => r.Tool == Core.Controls.RuntimeControls.KillSwitchTool);
        var entity = (await h.Store.GetAsync(AuditLog.Table, AuditLog.PartitionOf(Today(h)), change.Id, CancellationToken.None))!;
        await h.Store.ReplaceAsync(AuditLog.Table, entity with
        {
            Properties = new Dictionary<string, object>(entity.Properties) { ["CallerId"] = "nobody" },
        }, "*", CancellationToken.None);

        var result = await VerifyAsync(h);
        Assert.Equal((change.Id, AuditProblemKind.Edited), (result.FirstProblem?.RecordId, result.FirstProblem?.Kind));
    }
}
