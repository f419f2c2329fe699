using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Idempotency;

/// <summary>
/// One idempotency key used by several instances at once, each with its own store client on one backend: one send, one
/// message id for every caller; a waiting call takes over a released key or replays a completed one; a storage retry
/// that meets its own write is recognised by the claim's nonce. Run against every backend.
/// </summary>
public abstract class IdempotencyConcurrencyTests : IAsyncLifetime
{
    private const string Digest = "digest-a";
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-idempotency-").FullName;

    // Unique per test: the Azurite backend is shared by the whole collection.
    private readonly string _caller = "idem-" + Guid.NewGuid().ToString("N");
    private readonly string _key = "key-" + Guid.NewGuid().ToString("N");

    private static CancellationToken None => CancellationToken.None;

    private string OutboxPath => Path.Combine(_directory, "outbox.jsonl");

    /// <summary>A new client of the one backend under test (a separate instance's view of the same tables).</summary>
    protected abstract ITableStore CreateStore(string directory);

    public async Task InitializeAsync() => await CreateStore(_directory).CreateTableIfNotExistsAsync(IdempotencyStore.Table, None);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task TenConcurrentIdenticalSends_TenPipelines_OneProviderSend_OneMessageIdForAll()
    {
        var harnesses = new List<PipelineHarness>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                harnesses.Add(await PipelineHarness.CreateOnAsync(CreateStore(_directory), OutboxPath));
            }

            var outcomes = await Task.WhenAll(harnesses.Select(h => Task.Run(() => h.SendAsync("demo", "only once", key: _key))));

            Assert.All(outcomes, o => Assert.Null(o.Refusal));
            var messageId = Assert.Single(outcomes.Select(o => o.Result!.MessageId).Distinct());
            Assert.Equal(9, outcomes.Count(o => o.Result!.Replayed));
            var line = Assert.Single(File.ReadAllLines(OutboxPath));
            Assert.Contains(messageId, line, StringComparison.Ordinal);
            var records = (await harnesses[0].AuditAsync()).Where(r => r.MessageId == messageId).ToList();
            Assert.Equal(10, records.Count);
            Assert.Single(records, r => r.ReasonCode == ReasonCodes.Accepted);
            Assert.Equal(9, records.Count(r => r.ReasonCode == ReasonCodes.IdempotentReplay && r.Decision == AuditDecision.Accepted));
        }
        finally
        {
            foreach (var h in harnesses)
            {
                await h.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ReleasedClaim_IsTakenOverByTheWaitingCall()
    {
        var owner = new IdempotencyStore(CreateStore(_directory), TimeProvider.System);
        var first = await owner.ClaimAsync(_caller, _key, Digest, None);
        Assert.True(first.Owned);
        var watched = new ReadSignallingTableStore(CreateStore(_directory));
        var waiting = new IdempotencyStore(watched, TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);
        await watched.FirstRead.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);

        await owner.ReleaseAsync(_caller, _key, first, None);

        var taken = await waiting;
        Assert.True(taken.Owned);
        Assert.NotEqual(first.Nonce, taken.Nonce);
        Assert.Null(taken.Refusal);
    }

    [Fact]
    public async Task CompletedClaim_WaitingCallGetsTheFirstResult()
    {
        var owner = new IdempotencyStore(CreateStore(_directory), TimeProvider.System);
        var first = await owner.ClaimAsync(_caller, _key, Digest, None);
        var watched = new ReadSignallingTableStore(CreateStore(_directory));
        var waiting = new IdempotencyStore(watched, TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);
        await watched.FirstRead.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(waiting.IsCompleted);

        await owner.CompleteAsync(_caller, _key, first, Digest, Result("msg-first"), DateTimeOffset.UtcNow, None);

        var replay = await waiting;
        Assert.False(replay.Owned);
        Assert.Equal(("msg-first", true), (replay.Replay?.MessageId, replay.Replay?.Replayed ?? false));
    }

    [Fact]
    public async Task HeldPastTheBoundedWait_RefusedInProgress()
    {
        var owner = new IdempotencyStore(CreateStore(_directory), TimeProvider.System);
        Assert.True((await owner.ClaimAsync(_caller, _key, Digest, None)).Owned);

        var impatient = new IdempotencyStore(CreateStore(_directory), TimeProvider.System, TimeSpan.FromMilliseconds(50));
        var answer = await impatient.ClaimAsync(_caller, _key, Digest, None);

        Assert.False(answer.Owned);
        Assert.Equal(ReasonCodes.IdempotencyInProgress, answer.Refusal?.Code);
    }

    [Fact]
    public async Task SameKeyDifferentRequest_RefusedKeyReused_WhileHeldAndAfterCompletion()
    {
        var owner = new IdempotencyStore(CreateStore(_directory), TimeProvider.System);
        var first = await owner.ClaimAsync(_caller, _key, Digest, None);
        // The default (15 s) wait: a reuse must be refused at once, not after waiting for the holder.
        var other = new IdempotencyStore(CreateStore(_directory), TimeProvider.System);

        Assert.Equal(ReasonCodes.IdempotencyKeyReused, (await other.ClaimAsync(_caller, _key, "digest-b", None)).Refusal?.Code);
        await owner.CompleteAsync(_caller, _key, first, Digest, Result("msg-first"), DateTimeOffset.UtcNow, None);
        Assert.Equal(ReasonCodes.IdempotencyKeyReused, (await other.ClaimAsync(_caller, _key, "digest-b", None)).Refusal?.Code);
    }

    [Fact]
    public async Task LostInsertAndReplaceResponses_TheNonceShowsTheWritesWereOurs()
    {
        var claim = await new IdempotencyStore(new LostResponseTableStore(CreateStore(_directory), "insert"), TimeProvider.System, TimeSpan.FromMilliseconds(50))
            .ClaimAsync(_caller, _key, Digest, None);
        Assert.True(claim.Owned);
        Assert.Null(claim.Refusal);

        await new IdempotencyStore(new LostResponseTableStore(CreateStore(_directory), "replace"), TimeProvider.System)
            .CompleteAsync(_caller, _key, claim, Digest, Result("msg-ours"), DateTimeOffset.UtcNow, None);

        var replay = await new IdempotencyStore(CreateStore(_directory), TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);
        Assert.Equal("msg-ours", replay.Replay?.MessageId);
    }

    [Fact]
    public async Task CompletionOfAClaimTakenOverByAnotherCall_Throws()
    {
        var store = CreateStore(_directory);
        var stale = await new IdempotencyStore(store, TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);
        await new IdempotencyStore(store, TimeProvider.System).ReleaseAsync(_caller, _key, stale, None);
        var current = await new IdempotencyStore(store, TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);
        Assert.True(current.Owned);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            new IdempotencyStore(store, TimeProvider.System).CompleteAsync(_caller, _key, stale, Digest, Result("msg-stale"), DateTimeOffset.UtcNow, None));
    }

    [Fact]
    public async Task LostDeleteResponse_ReleaseSucceeds_AndTheKeyIsFree()
    {
        var store = CreateStore(_directory);
        var claim = await new IdempotencyStore(store, TimeProvider.System).ClaimAsync(_caller, _key, Digest, None);

        await new IdempotencyStore(new LostResponseTableStore(store, "delete"), TimeProvider.System).ReleaseAsync(_caller, _key, claim, None);

        var again = await new IdempotencyStore(store, TimeProvider.System, TimeSpan.Zero).ClaimAsync(_caller, _key, Digest, None);
        Assert.True(again.Owned);
    }

    private static SendResult Result(string messageId) => new(messageId, MessageStatus.Delivered, 1, SmsEncoding.Gsm7, "+1202***0123");
}
