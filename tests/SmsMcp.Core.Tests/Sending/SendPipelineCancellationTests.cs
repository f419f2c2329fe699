using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage.Sqlite;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Quotas;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>A caller hanging up before the provider call: one audit record, nothing sent, nothing left claimed or counted.</summary>
public sealed class SendPipelineCancellationTests
{
    [Theory]
    [InlineData("get", RuntimeControls.Table)] // the kill switch, before anything is held
    [InlineData("insert", IdempotencyStore.Table)] // the idempotency claim
    [InlineData("get", QuotaLedger.Table)] // the quota reservation, with the claim held
    [InlineData("insert", AuditLog.Table)] // the write-ahead audit record, with claim and reservation held
    [InlineData("insert", MessageStore.Table)] // the message record, with the write-ahead audit record written
    public async Task CancelledBeforeTheProvider_OneAuditRecord_ClaimAndReservationGivenBack(string operation, string table)
    {
        var directory = Directory.CreateTempSubdirectory("smsmcp-cancel-").FullName;
        using var sqlite = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "test.db") });
        var store = new CancellingTableStore(sqlite);
        using var cancellation = store.Cancellation;
        await using var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 5 }"""), store: store);
        store.CancelAt(operation, table);

        var cancelled = await h.Pipeline.SendAsync(new SendRequest(PipelineHarness.Caller, "demo", "hi", "key-1"), cancellation.Token);

        Assert.Equal(ReasonCodes.Cancelled, cancelled.Refusal?.Code);
        Assert.True(cancellation.IsCancellationRequested);
        Assert.Empty(h.Outbox());
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Denied, ReasonCodes.Cancelled), (record.Stage, record.Decision, record.ReasonCode));
        Assert.Equal(0L, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        var retry = await h.SendAsync("demo", "hi", "key-1");

        Assert.Null(retry.Refusal);
        Assert.False(retry.Result!.Replayed);
        Assert.Single(h.Outbox());
        Assert.Equal(1L, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);
    }
}
