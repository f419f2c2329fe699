using SmsMcp.Core.Audit;
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
/// and the message record as one transaction —, counters written from the ETag this instance last saw), before the request
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
        // A clean run tells how many requests the send makes, and where the quota reservation lands.
        var (requests, quotaWrite) = await MeasureAsync(warm, approval);
        Assert.InRange(requests, 6, 40);
        foreach (var point in new[] { CrashPoint.BeforeRequest, CrashPoint.AfterRequest })
        {
            for (var crashAt = 0; crashAt < requests; crashAt++)
            {
                var reservationStored = point == CrashPoint.BeforeRequest ? quotaWrite < crashAt : quotaWrite <= crashAt;
                await CrashAndRecoverAsync(warm, approval, crashAt, point, reservationStored);
            }
        }
    }

    private async Task<(int Requests, int QuotaWrite)> MeasureAsync(bool warm, bool approval)
    {
        var counting = new CountingTableStore(await NewStoreAsync());
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
        Assert.NotNull((await h.SendAsync("demo", "measured")).Result);
        var all = counting.Requests;
        // The write-ahead and the completion are one transaction each: a crash lands before or after a whole one.
        Assert.Equal(2, all.Count(r => r.Operation == "transaction" && r.Table == AuditLog.Table));
        return (all.Count, all.ToList().FindIndex(r => r.Table == "Quotas" && r.Operation is "insert" or "replace"));
    }

    private async Task CrashAndRecoverAsync(bool warm, bool approval, int crashAt, CrashPoint point, bool reservationStored)
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

            crashing.Arm(crashAt, point);
            await crashed.SendAsync("demo", "interrupted");
            Assert.True(crashing.Crashed, $"The send made fewer than {crashAt + 1} requests.");
        }

        var sentBefore = sent.Count;
        await using var recovered = await PipelineHarness.CreateAsync(provider: provider, policy: policy, store: store, clock: clock);
        var outcome = await recovered.SendAsync("demo", "after the crash");

        var at = $"crash {point} request {crashAt} ({(warm ? "warm" : "cold")} instance, {(approval ? "first-contact approval" : "no approval")})";
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
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary><see cref="SendCrashPointTests"/> on the embedded SQLite store.</summary>
public sealed class SqliteSendCrashPointTests : SendCrashPointTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("smsmcp-crash-db-").FullName;

    protected override Task<ITableStore> NewStoreAsync() =>
        Task.FromResult<ITableStore>(new SmsMcp.Infrastructure.Storage.Sqlite.SqliteTableStore(
            new SmsMcp.Infrastructure.Storage.Sqlite.SqliteStorageOptions { Path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db") }));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
