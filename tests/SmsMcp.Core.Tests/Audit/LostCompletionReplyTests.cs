using SmsMcp.Core.Audit;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Infrastructure.Storage.Sqlite;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>
/// A completion (replace-if-match of the audit record, with the message record and the watchdog event in the same
/// transaction) that landed but whose response was lost comes back as 412 from Azure.Core's retry. The audit log must
/// recognise its own outcome seal and carry on — no error, no second try of each write, the event counted once — and
/// still refuse a record someone else changed.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class LostCompletionReplyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-lost-completion-").FullName;
    private readonly SqliteTableStore _sqlite;
    private readonly LostReplaceReplyTableStore _store;

    public LostCompletionReplyTests()
    {
        _sqlite = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        _store = new LostReplaceReplyTableStore(_sqlite);
    }

    [Fact]
    public async Task CompletionAnsweredAsConflictAfterLanding_IsTakenAsWritten_NothingLogged_EventCountedOnce()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await PipelineHarness.CreateAsync(store: _store, logs: logs);
        _store.Misreport(AuditLog.Table);

        var outcome = await h.SendAsync("demo", "hello");

        Assert.Equal(0, _store.Remaining(AuditLog.Table));
        var sent = Assert.IsType<SendResult>(outcome.Result);
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted), (record.Stage, record.Decision));
        Assert.NotNull((await h.Messages.GetAsync(PipelineHarness.Caller.Id, sent.MessageId, CancellationToken.None))?.ProviderMessageId);
        var bucket = await h.Traffic.ReadAsync(PipelineHarness.Caller.Id, TrafficCounters.PeriodStart(h.Clock.GetUtcNow()), CancellationToken.None);
        Assert.Equal((1L, 1L), (bucket.Attempts, bucket.Sent));
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompletionOverARecordSomeoneElseChanged_StillThrows()
    {
        await _sqlite.CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var log = new AuditLog(_sqlite, new AuditSealer(new byte[32]), time);
        var handle = await log.BeginAsync(new AuditRecord
        {
            Id = AuditLog.NewId(time.GetUtcNow()), Time = time.GetUtcNow(), CallerId = "dev", Tool = "send_sms", BodyHash = "h", BodyLength = 1,
            Segments = 1, Stage = AuditStage.Attempt, Decision = AuditDecision.Pending, ReasonCode = "", PolicyVersion = "v",
        }, CancellationToken.None);
        var stored = (await _sqlite.GetAsync(AuditLog.Table, AuditLog.PartitionFor(handle.Record), handle.Record.Id, CancellationToken.None))!;
        await _sqlite.ReplaceAsync(AuditLog.Table, stored with { Properties = new Dictionary<string, object>(stored.Properties) { ["ReasonCode"] = "edited" } }, "*", CancellationToken.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => log.CompleteAsync(handle, AuditDecision.Accepted, "accepted", 1, CancellationToken.None));
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
