using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Tests.Storage;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>
/// An insert that landed but whose response was lost comes back as 409 from Azure.Core's retry. The audit record and the
/// message record have fresh keys, so the send must treat its own rows as written instead of refusing — also when they
/// were one transaction (the write-ahead: audit attempt, message record, pending marker), whose retry fails at its first insert.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class LostInsertReplyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-lost-reply-").FullName;
    private readonly SqliteTableStore _sqlite;
    private readonly LostInsertReplyTableStore _store;

    public LostInsertReplyTests()
    {
        _sqlite = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        _store = new LostInsertReplyTableStore(_sqlite);
    }

    [Fact]
    public async Task WriteAheadAnsweredAsConflictAfterLanding_SendSucceeds_OneAuditRecord_VerifiesIntact()
    {
        await using var h = await PipelineHarness.CreateAsync(store: _store);
        const string table = AuditLog.Table;
        _store.Misreport(table);

        var outcome = await h.SendAsync("demo", "hello");

        Assert.Equal(0, _store.Remaining(table));
        Assert.Null(outcome.Refusal);
        var sent = Assert.IsType<Core.Outcomes.SendResult>(outcome.Result);
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted), (record.Stage, record.Decision));
        // The completion went out as one transaction at the ETags re-read after the 409: the record holds the carrier's answer.
        Assert.NotNull((await h.Messages.GetAsync(PipelineHarness.Caller.Id, sent.MessageId, CancellationToken.None))?.ProviderMessageId);
        Assert.Single(h.Outbox());

        // The next send continues the same chain: the lost answer did not end it.
        Assert.NotNull((await h.SendAsync("demo", "again")).Result);
        var verification = await h.Verifier.VerifyAsync(DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime), CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.Equal((2, 2, 1), (verification.Records, verification.Completed, verification.Chains));
    }

    [Fact]
    public async Task MessageInsertConflictingWithADifferentRecord_StillThrows()
    {
        await _store.CreateTableIfNotExistsAsync(MessageStore.Table, CancellationToken.None);
        await _store.CreateTableIfNotExistsAsync(AuditLog.Table, CancellationToken.None);
        var messages = new MessageStore(_store);
        var first = new MessageRecord
        {
            MessageId = MessageStore.NewMessageId(DateTimeOffset.UnixEpoch), CallerId = "dev", RecipientMasked = "+1******0123", RecipientRef = "ref", Status = MessageStatus.PendingApproval,
            Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "sandbox", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        await messages.InsertAsync(first, CancellationToken.None);

        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => messages.InsertAsync(first with { Segments = 2 }, CancellationToken.None));
        Assert.Equal(1, (await messages.GetAsync("dev", first.MessageId, CancellationToken.None))?.Segments);
    }

    public void Dispose()
    {
        _sqlite.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
