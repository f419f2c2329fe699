using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Quotas;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// A caller hanging up: during the reads before the first write → one <c>cancelled</c> audit record, nothing held,
/// nothing sent; from the first write on → the send finishes and is recorded, so nothing is left half-done.
/// </summary>
public sealed class SendPipelineCancellationTests
{
    [Fact]
    public async Task CancelledDuringTheReads_OneCancelledRecord_NothingHeld_ARetrySends()
    {
        await using var run = await CancellingRun.StartAsync("query", RuntimeControls.Table);

        var cancelled = await run.H.Pipeline.SendAsync(new SendRequest(PipelineHarness.Caller, "demo", "hi", "key-1"), run.Store.Cancellation.Token);

        Assert.Equal(ReasonCodes.Cancelled, cancelled.Refusal?.Code);
        Assert.True(run.Store.Cancellation.IsCancellationRequested);
        Assert.Empty(run.H.Outbox());
        var record = Assert.Single(await run.H.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Denied, ReasonCodes.Cancelled), (record.Stage, record.Decision, record.ReasonCode));
        Assert.Equal(0L, (await run.H.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        var retry = await run.H.SendAsync("demo", "hi", "key-1");

        Assert.Null(retry.Refusal);
        Assert.False(retry.Result!.Replayed);
        Assert.Single(run.H.Outbox());
    }

    [Theory]
    [InlineData("insert", IdempotencyStore.Table)] // the idempotency claim
    [InlineData("get", QuotaLedger.Table)] // the quota reservation, with the claim held
    [InlineData("insert", AuditLog.Table)] // the write-ahead transaction (audit attempt, message record, pending marker), with claim and reservation held
    public async Task CancelledFromTheFirstWriteOn_TheSendFinishes_OneAcceptedRecord_ARetryReplaysIt(string operation, string table)
    {
        await using var run = await CancellingRun.StartAsync(operation, table);

        var sent = await run.H.Pipeline.SendAsync(new SendRequest(PipelineHarness.Caller, "demo", "hi", "key-1"), run.Store.Cancellation.Token);

        Assert.True(run.Store.Cancellation.IsCancellationRequested);
        Assert.Null(sent.Refusal);
        Assert.Single(run.H.Outbox());
        var record = Assert.Single(await run.H.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted, ReasonCodes.Accepted), (record.Stage, record.Decision, record.ReasonCode));
        Assert.Equal(1L, (await run.H.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        var retry = await run.H.SendAsync("demo", "hi", "key-1");

        Assert.Equal((sent.Result!.MessageId, true), (retry.Result!.MessageId, retry.Result.Replayed));
        Assert.Single(run.H.Outbox());
    }

    /// <summary>A pipeline on SQLite behind a <see cref="CancellingTableStore"/> armed for one operation.</summary>
    private sealed class CancellingRun : IAsyncDisposable
    {
        private readonly SqliteTableStore _sqlite;

        private CancellingRun(SqliteTableStore sqlite, CancellingTableStore store, PipelineHarness h)
        {
            _sqlite = sqlite;
            Store = store;
            H = h;
        }

        public CancellingTableStore Store { get; }

        public PipelineHarness H { get; }

        public static async Task<CancellingRun> StartAsync(string operation, string table)
        {
            var directory = Directory.CreateTempSubdirectory("smsmcp-cancel-").FullName;
            var sqlite = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "test.db") });
            var store = new CancellingTableStore(sqlite);
            var h = await PipelineHarness.CreateAsync(policy: QuotaPolicies.With("""{ "messagesPerDay": 5 }"""), store: store);
            store.CancelAt(operation, table);
            return new CancellingRun(sqlite, store, h);
        }

        public async ValueTask DisposeAsync()
        {
            await H.DisposeAsync();
            Store.Cancellation.Dispose();
            _sqlite.Dispose();
        }
    }
}
