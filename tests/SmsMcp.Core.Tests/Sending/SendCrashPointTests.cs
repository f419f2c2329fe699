using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Sandbox;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// A crash at every storage request of a send (issue 16's batching: reads together, the write-ahead transaction of the
/// audit attempt, the message record and its pending marker, the writes after the provider together — the audit completion
/// and the message record as one transaction —, counters written from the ETag this instance last saw, the quota reservation
/// and the write-ahead issued together on a warm instance, so either may land alone), before the request
/// is applied and after it is applied with its answer lost (a transaction landing whole); then another instance takes over
/// on the same store and sends. Whatever the crash point: the provider is never called before the write-ahead audit
/// attempt, the message record and its pending marker are stored, the quota counts exactly what went out plus at most the crashed send's own reservation
/// (over-counting is the safe side), and every attempt has at most one audit record — exactly one when it reached the
/// provider. Run on SQLite and on Table Storage (Azurite).
/// </summary>
public abstract class SendCrashPointTests
{
    private const string Demo = "+12025550123";

    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "known": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "approval": "firstContact",
                                   "quotas": { "messagesPerDay": 1000, "messagesPerMonth": 10000 } } },
          "callers": { "dev": "known" }
        }
        """;

    // No first-contact approval: the walk does not read the contact book, so a send the provider accepted writes it
    // together with the audit completion, the message record and the watchdog counter (five writes after the provider).
    private const string PolicyWithoutApproval = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "open": { "allow": { "recipients": ["demo"] }, "countries": ["US"],
                                  "quotas": { "messagesPerDay": 1000, "messagesPerMonth": 10000 } } },
          "callers": { "dev": "open" }
        }
        """;

    /// <summary>A store no other case uses.</summary>
    protected abstract Task<ITableStore> NewStoreAsync();

    /// <param name="warm">The crashed instance sent once before, so it knows the counters' ETags.</param>
    /// <param name="approval">First-contact approval to a known contact; without it, the contact book is written after the provider.</param>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task CrashAtEveryRequest_NothingSentUnaudited_QuotasExact_OneAuditRecordPerAttempt(bool warm, bool approval)
    {
        // A clean run tells how many requests the send makes, and where the quota reservation and the write-ahead land.
        var walk = await MeasureAsync(warm, approval);
        // 5 for a warm instance (the contact book is neither read nor written for a contact it has seen), 6–7 for a cold one.
        Assert.InRange(walk.Requests, 5, 40);
        foreach (var point in new[] { CrashPoint.BeforeRequest, CrashPoint.AfterRequest })
        {
            for (var crashAt = 0; crashAt < walk.Requests; crashAt++)
            {
                var reservationStored = point == CrashPoint.BeforeRequest ? walk.QuotaWrite < crashAt : walk.QuotaWrite <= crashAt;
                await CrashAndRecoverAsync(warm, approval, crashAt, point, reservationStored);
            }
        }

        if (warm)
        {
            // The reservation and the write-ahead go out together, so either can reach storage first. The sweep above
            // covers the reservation landing alone (a crash after it, or before the write-ahead); here the write-ahead
            // lands alone: the process died before the reservation reached storage, with the write-ahead already on the wire.
            await CrashAndRecoverAsync(warm, approval, walk.QuotaWrite, CrashPoint.BeforeRequest, reservationStored: false, alsoLands: walk.WriteAhead);
        }
    }

    /// <summary>
    /// The request count of a clean send, the index of its quota write and of its write-ahead transaction. A warm instance
    /// (it saw the counters, and they admit the send) issues the two together; a cold one reserves first.
    /// </summary>
    private async Task<(int Requests, int QuotaWrite, int WriteAhead)> MeasureAsync(bool warm, bool approval)
    {
        var counting = new CountingTableStore(await NewStoreAsync(), measureDepth: true);
        var directory = Directory.CreateTempSubdirectory("smsmcp-crash-").FullName;
        using var sandbox = new SandboxSmsProvider(Path.Combine(directory, "outbox.jsonl"), TimeProvider.System);
        await using var h = await PipelineHarness.CreateAsync(provider: sandbox, policy: PipelineHarness.ParsePolicy(approval ? Policy : PolicyWithoutApproval), store: counting);
        if (approval)
        {
            await h.Contacts.RecordAsync(PipelineHarness.Caller.Id, h.Pseudonymizer.Recipient(Demo), h.Clock.GetUtcNow(), CancellationToken.None);
        }

        if (warm)
        {
            Assert.NotNull((await h.SendAsync("demo", "warm up")).Result);
        }

        counting.Reset();
        // On one thread, one step at a time, so that requests issued together share a depth (see CountingTableStore).
        Assert.NotNull(SingleThreadedContext.Run(() => h.SendAsync("demo", "measured")).Result);
        var all = counting.Requests;
        // The write-ahead and the completion are one transaction each: a crash lands before or after a whole one.
        Assert.Equal(2, all.Count(r => r.Operation == "transaction" && r.Table == AuditLog.Table));
        var quotaWrite = all.ToList().FindIndex(r => r.Table == "Quotas" && r.Operation is "insert" or "replace");
        var writeAhead = all.ToList().FindIndex(r => r.Operation == "transaction" && r.Table == AuditLog.Table);
        if (warm)
        {
            Assert.Equal((quotaWrite + 1, all[quotaWrite].Depth), (writeAhead, all[writeAhead].Depth));
        }
        else
        {
            Assert.True(all[writeAhead].Depth > all[quotaWrite].Depth, "A cold instance reserves before it writes ahead.");
        }

        return (all.Count, quotaWrite, writeAhead);
    }

    /// <param name="alsoLands">A request after the crash that lands all the same (<see cref="CrashingTableStore.Arm"/>).</param>
    private async Task CrashAndRecoverAsync(bool warm, bool approval, int crashAt, CrashPoint point, bool reservationStored, int? alsoLands = null)
    {
        var store = await NewStoreAsync();
        var crashing = new CrashingTableStore(store);
        var directory = Directory.CreateTempSubdirectory("smsmcp-crash-").FullName;
        var outbox = Path.Combine(directory, "outbox.jsonl");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var checker = new AuditLog(store, new AuditSealer(new byte[32]), clock);
        var messages = new MessageStore(store);
        var sent = new List<string>();
        var unaudited = new List<string>();

        // At the moment the provider is called, straight from the store (not through the crashing process): the attempt's
        // audit record, its message record (which a status callback finds by the id alone) and its pending marker must
        // already be there.
        async Task CheckAsync(ProviderMessage message)
        {
            var records = await checker.ReadDayAsync(new DateOnly(2026, 11, 21), CancellationToken.None);
            var marker = await store.GetAsync(AuditLog.Table, MessageStore.PartitionOf(message.MessageId)!, "p:" + message.MessageId, CancellationToken.None);
            if (!records.Any(r => r.MessageId == message.MessageId) || await messages.FindForStatusAsync(message.MessageId, CancellationToken.None) is null || marker is null)
            {
                unaudited.Add(message.MessageId);
            }

            sent.Add(message.MessageId);
        }

        var policy = PipelineHarness.ParsePolicy(approval ? Policy : PolicyWithoutApproval);
        using var sandbox = new SandboxSmsProvider(outbox, clock);
        var provider = new MarkingSmsProvider(sandbox, CheckAsync);
        await using (var crashed = await PipelineHarness.CreateAsync(provider: provider, policy: policy, store: crashing, clock: clock))
        {
            if (approval)
            {
                await crashed.Contacts.RecordAsync(PipelineHarness.Caller.Id, crashed.Pseudonymizer.Recipient(Demo), clock.GetUtcNow(), CancellationToken.None);
            }

            if (warm)
            {
                Assert.NotNull((await crashed.SendAsync("demo", "warm up")).Result);
            }

            crashing.Arm(crashAt, point, alsoLands);
            await crashed.SendAsync("demo", "interrupted");
            Assert.True(crashing.Crashed, $"The send made fewer than {crashAt + 1} requests.");
        }

        var sentBefore = sent.Count;
        await using var recovered = await PipelineHarness.CreateAsync(provider: provider, policy: policy, store: store, clock: clock);
        var outcome = await recovered.SendAsync("demo", "after the crash");

        var at = $"crash {point} request {crashAt}{(alsoLands is { } lands ? $", request {lands} landing" : "")} ({(warm ? "warm" : "cold")} instance, {(approval ? "first-contact approval" : "no approval")})";
        var result = Assert.IsType<SendResult>(outcome.Result);
        Assert.True(unaudited.Count == 0, $"{at}: the provider was called before the audit attempt, message record and pending marker were stored.");
        Assert.Equal(sent.Count, File.ReadAllLines(outbox).Length);
        var crashedSent = sentBefore > (warm ? 1 : 0);
        var used = (await recovered.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages;
        Assert.True(used == sent.Count + (reservationStored && !crashedSent ? 1 : 0), $"{at}: {used} counted, {sent.Count} sent.");

        var records = (await recovered.AuditAsync()).Where(r => r.Tool == "send_sms").ToList();
        Assert.All(sent, id => Assert.Single(records, r => r.MessageId == id));
        Assert.True(records.Count <= (warm ? 3 : 2), $"{at}: {records.Count} audit records for {(warm ? 3 : 2)} attempts.");
        var last = Assert.Single(records, r => r.MessageId == result.MessageId);
        Assert.Equal((AuditStage.Completed, AuditDecision.Accepted), (last.Stage, last.Decision));
        // The send after the crash went out, so its writes after the provider made the number a known contact.
        Assert.True(await recovered.Contacts.HasContactedAsync(PipelineHarness.Caller.Id, recovered.Pseudonymizer.Recipient(Demo), CancellationToken.None), at);
        if (alsoLands is not null)
        {
            await AssertStrandedLikeACrashBeforeTheProviderAsync(recovered, store, clock, records, sent, at);
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Only the write-ahead landed: what a crash between the write-ahead and the provider leaves, without the reservation — an
    /// open attempt and a queued record with its pending marker, nothing sent, nothing counted. Reconciliation treats it as it
    /// treats that crash: a message without a carrier id is counted and left for a status callback (the provider may have been
    /// called for all it can tell), never fetched, marked failed or taken off the index.
    /// </summary>
    private static async Task AssertStrandedLikeACrashBeforeTheProviderAsync(
        PipelineHarness recovered, ITableStore store, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, IReadOnlyList<AuditRecord> records, IReadOnlyList<string> sent, string at)
    {
        var open = Assert.Single(records, r => r.Stage == AuditStage.Attempt);
        var id = open.MessageId!;
        Assert.DoesNotContain(id, sent);
        Assert.Equal(MessageStatus.Queued, (await recovered.Messages.GetAsync(PipelineHarness.Caller.Id, id, CancellationToken.None))?.Status);

        clock.Advance(TimeSpan.FromMinutes(30));
        var reconciler = new StatusReconciler(recovered.Messages,
            new DeliveryStatusService(recovered.Messages, recovered.Audit, recovered.Traffic, recovered.Suppressions, recovered.Pseudonymizer, clock, NullLogger<DeliveryStatusService>.Instance),
            Options.Create(new ReconciliationOptions()), clock, NullLogger<StatusReconciler>.Instance);
        var summary = await reconciler.RunAsync(CancellationToken.None);

        Assert.True((1, 0, 0) == (summary.WithoutCarrierId, summary.Fetched, summary.Errors), $"{at}: {summary}");
        Assert.Equal(MessageStatus.Queued, (await recovered.Messages.GetAsync(PipelineHarness.Caller.Id, id, CancellationToken.None))?.Status);
        Assert.NotNull(await store.GetAsync(AuditLog.Table, MessageStore.PartitionOf(id)!, "p:" + id, CancellationToken.None));
    }
}

/// <summary><see cref="SendCrashPointTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteSendCrashPointTests : SendCrashPointTests, IDisposable
{
    private readonly SqliteStoreFolder _stores = new();

    protected override Task<ITableStore> NewStoreAsync() => Task.FromResult(_stores.NewStore());

    public void Dispose() => _stores.Dispose();
}
