using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Storage.AuditHeads;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Core.Tests.Audit;

/// <summary>
/// <see cref="AuditHeadPublisher"/> on SQLite with the local head log: what it publishes and when, that its checkpoints
/// chain across pages and days, and that only genuine records become heads.
/// </summary>
public sealed class AuditHeadPublisherTests : IDisposable
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static CancellationToken Ct => CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly SqliteTableStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 3, 4, 10, 0, 0, TimeSpan.Zero));
    private readonly AuditSealer _sealer = new(Key);
    private readonly FileAuditHeadLog _heads;

    public AuditHeadPublisherTests()
    {
        _store = new SqliteTableStore(new SqliteStorageOptions { Path = _directory.File("smsmcp.db") });
        _store.CreateTableIfNotExistsAsync(AuditLog.Table, Ct).GetAwaiter().GetResult();
        _heads = new FileAuditHeadLog(_directory.File("heads"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private AuditHeadPublisher Publisher => new(_store, _sealer, _heads, _time);

    private AuditVerifier Verifier => new(_store, _sealer, _heads);

    private async Task<string> RecordAsync(AuditLog log)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        var now = _time.GetUtcNow();
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(now), Time = now, CallerId = "dev", Tool = "send_sms", BodyHash = new string('2', 64), BodyLength = 3,
            Stage = AuditStage.Completed, Decision = AuditDecision.Denied, ReasonCode = "recipient_not_allowed",
        };
        await log.RecordAsync(record, Ct);
        return record.Id;
    }

    [Fact]
    public async Task TwoWriters_OneCheckpointWithEachWritersCountAndLastRecord()
    {
        var a = new AuditLog(_store, _sealer, _time);
        var b = new AuditLog(_store, _sealer, _time);
        var lastA = "";
        for (var i = 0; i < 3; i++)
        {
            lastA = await RecordAsync(a);
        }

        var lastB = await RecordAsync(b);

        var checkpoint = Assert.Single(await Publisher.PublishAsync(Ct));

        Assert.Equal((1L, "", Today), (checkpoint.Sequence, checkpoint.Previous, checkpoint.Day));
        Assert.Equal([3L, 1L], checkpoint.Heads.OrderBy(h => h.LastRecordId == lastB).Select(h => h.Count));
        Assert.Equal([lastA, lastB], checkpoint.Heads.OrderBy(h => h.LastRecordId == lastB).Select(h => h.LastRecordId));
        Assert.Equal(AuditHeadCheckpoint.TryParse(Assert.Single((await _heads.ReadAsync(Today, Ct)).Lines)), checkpoint, new CheckpointComparer());
    }

    [Fact]
    public async Task NothingChanged_NothingPublished_ThenNewRecords_NextCheckpointChainsToThePrevious()
    {
        var log = new AuditLog(_store, _sealer, _time);
        await RecordAsync(log);
        var first = Assert.Single(await Publisher.PublishAsync(Ct));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await Publisher.PublishAsync(Ct));

        await RecordAsync(log);
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = Assert.Single(await Publisher.PublishAsync(Ct));

        Assert.Equal((2L, first.Seal), (second.Sequence, second.Previous));
        Assert.Equal(2, (await _heads.ReadAsync(Today, Ct)).Lines.Count);
        Assert.True((await Verifier.VerifyAsync(Today, Ct)).IsIntact);
    }

    [Fact]
    public async Task JustAfterMidnight_YesterdaysFinalHeads_PublishedOnTodaysPage_ChainedAcrossPages()
    {
        var log = new AuditLog(_store, _sealer, _time);
        await RecordAsync(log);
        var morning = Assert.Single(await Publisher.PublishAsync(Ct));
        var yesterday = Today;

        // A record just before midnight, published after it: yesterday's page holds the morning, today's the rest.
        _time.SetUtcNow(new DateTimeOffset(yesterday.ToDateTime(new TimeOnly(23, 59, 58)), TimeSpan.Zero));
        var late = await RecordAsync(log);
        _time.SetUtcNow(new DateTimeOffset(yesterday.AddDays(1).ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
        var final = Assert.Single(await Publisher.PublishAsync(Ct));

        Assert.Equal((yesterday, morning.Sequence + 1, morning.Seal), (final.Day, final.Sequence, final.Previous));
        Assert.Equal(late, Assert.Single(final.Heads).LastRecordId);
        Assert.Single((await _heads.ReadAsync(Today, Ct)).Lines);
        var verification = await Verifier.VerifyAsync(yesterday, Today, Ct);
        Assert.True(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.Equal((2, 0), (verification.HeadsChecked, verification.Uncovered));
    }

    [Fact]
    public async Task QuietDay_OneEmptyCheckpointOpensItsPage_SoTheChainContinues()
    {
        var log = new AuditLog(_store, _sealer, _time);
        await RecordAsync(log);
        var before = Assert.Single(await Publisher.PublishAsync(Ct));

        _time.Advance(TimeSpan.FromDays(1));
        var heartbeat = Assert.Single(await Publisher.PublishAsync(Ct));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await Publisher.PublishAsync(Ct));

        Assert.Equal((Today, before.Sequence + 1, before.Seal), (heartbeat.Day, heartbeat.Sequence, heartbeat.Previous));
        Assert.Empty(heartbeat.Heads);
    }

    [Fact]
    public async Task ForgedRecordWithAHigherSequence_NeverBecomesAHead()
    {
        var log = new AuditLog(_store, _sealer, _time);
        var genuine = await RecordAsync(log);
        var stored = (await _store.GetAsync(AuditLog.Table, AuditLog.PartitionOf(Today), genuine, Ct))!;
        var forged = new Dictionary<string, object>(stored.Properties) { [AuditSealer.SequenceProperty] = 99L };
        await _store.InsertAsync(AuditLog.Table, new TableEntity(stored.PartitionKey, genuine + "0", forged), Ct);

        var checkpoint = Assert.Single(await Publisher.PublishAsync(Ct));

        Assert.Equal((1L, genuine), (checkpoint.Heads[0].Count, checkpoint.Heads[0].LastRecordId));
    }

    [Fact]
    public async Task SomeoneAppendedInBetween_TheAppendIsRefused_NothingInterleaves()
    {
        var page = await _heads.ReadAsync(Today, Ct);
        await _heads.AppendAsync(Today, "{\"first\":1}", page.Version, Ct);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => _heads.AppendAsync(Today, "{\"second\":1}", page.Version, Ct));
        Assert.Equal(["{\"first\":1}"], (await _heads.ReadAsync(Today, Ct)).Lines);
    }

    [Fact]
    public void HeadSeal_CoversEveryField()
    {
        var checkpoint = new AuditHeadCheckpoint(4, "prev", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), new DateOnly(2030, 1, 2),
            [new AuditChainHead("w1", 5, "id", "seal")]);
        var seal = _sealer.HeadSeal(checkpoint);
        AuditHeadCheckpoint[] variants =
        [
            checkpoint with { Sequence = 5 },
            checkpoint with { Previous = "other" },
            checkpoint with { PublishedAt = checkpoint.PublishedAt.AddTicks(1) },
            checkpoint with { Day = checkpoint.Day.AddDays(1) },
            checkpoint with { Heads = [new AuditChainHead("w2", 5, "id", "seal")] },
            checkpoint with { Heads = [new AuditChainHead("w1", 4, "id", "seal")] },
            checkpoint with { Heads = [new AuditChainHead("w1", 5, "id2", "seal")] },
            checkpoint with { Heads = [new AuditChainHead("w1", 5, "id", "seal2")] },
            checkpoint with { Heads = [] },
        ];

        Assert.All(variants, v => Assert.NotEqual(seal, _sealer.HeadSeal(v)));
        Assert.NotEqual(seal, new AuditSealer(new byte[32]).HeadSeal(checkpoint));
    }

    private sealed class CheckpointComparer : IEqualityComparer<AuditHeadCheckpoint?>
    {
        public bool Equals(AuditHeadCheckpoint? x, AuditHeadCheckpoint? y) =>
            x is not null && y is not null && x.ToJsonLine() == y.ToJsonLine();

        public int GetHashCode(AuditHeadCheckpoint? obj) => obj?.Sequence.GetHashCode() ?? 0;
    }
}
