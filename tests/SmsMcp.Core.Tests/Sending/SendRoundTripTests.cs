using SmsMcp.Core.Approvals;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Sandbox;
using SmsMcp.Infrastructure.Storage.Sqlite;
using Xunit.Abstractions;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// What one guarded send costs in storage requests (issue 16's measure): a known contact under first-contact approval,
/// one quota scope (the caller's), watchdog event included. Counted by <see cref="CountingTableStore"/> per table and
/// operation, split at the provider call, with the sequential depth (round trips a caller waits for one after another).
/// These are counts, not times: the test fails when a change adds a request to the walk.
/// </summary>
public sealed class SendRoundTripTests(ITestOutputHelper output)
{
    private const string Provider = "provider";

    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "known": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "approval": "firstContact",
                                   "quotas": { "messagesPerDay": 1000, "messagesPerMonth": 10000 } } },
          "callers": { "dev": "known" }
        }
        """;

    [Fact]
    public async Task GuardedSendToAKnownContact_MakesTheCountedStorageRequests()
    {
        var directory = Directory.CreateTempSubdirectory("smsmcp-trips-").FullName;
        var counting = new CountingTableStore(new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(directory, "trips.db") }), measureDepth: true);
        using var sandbox = new SandboxSmsProvider(Path.Combine(directory, "outbox.jsonl"), TimeProvider.System);
        await using var h = await PipelineHarness.CreateAsync(
            provider: new MarkingSmsProvider(sandbox, _ =>
            {
                counting.Mark(Provider);
                return Task.CompletedTask;
            }), policy: PipelineHarness.ParsePolicy(Policy), store: counting);
        // Known from another instance's send: this one learns it from the contact book on its first send.
        await new ContactBook(counting).RecordAsync(PipelineHarness.Caller.Id, h.Pseudonymizer.Recipient("+12025550123"), h.Clock.GetUtcNow(), CancellationToken.None);

        // The first send creates the counter rows and learns their ETags, and reads the contact book; the one measured is
        // the steady state every later send of this instance sees (another instance's write in between costs a 412 and a
        // read, see QuotaLedger; a contact this instance has not seen yet, one read of Contacts together with the other reads).
        Assert.IsType<SendResult>((await h.SendAsync("demo", "warm up")).Result);
        counting.Reset();
        // On one thread, one step at a time: requests issued together are told apart from requests issued after an answer.
        Assert.IsType<SendResult>(SingleThreadedContext.Run(() => h.SendAsync("demo", "measured")).Result);

        var before = counting.Before(Provider);
        var after = counting.After(Provider);
        output.WriteLine("before the provider: " + Describe(before));
        output.WriteLine("after the provider: " + Describe(after));

        Assert.Equal(ExpectedBefore, Tally(before));
        Assert.Equal(ExpectedAfter, Tally(after));
        Assert.Equal(ExpectedDepthBefore, before.Max(r => r.Depth));
        Assert.Equal(ExpectedDepthBefore + ExpectedDepthAfter, after.Max(r => r.Depth));
    }

    // Before issue 16's cuts (commit 824b457) the same send made 17 requests, 12 of them before the provider at depth 9:
    // four point reads of the controls, the suppression list, the contact book, a read and a replace of the quota
    // counters, the audit insert, two index upserts and the message insert one after another; then the audit completion,
    // a read and a replace of the message record, a read and a write of the watchdog counter. Until the day-partition
    // layout it made 11: the audit insert, the message insert and two index upserts before the provider, the audit
    // completion and the message replace after it, each a request of its own. Until the contact book remembered the
    // contacts it had seen, 6: a read of Contacts on every send.
    private static readonly SortedDictionary<string, int> ExpectedBefore = new(StringComparer.Ordinal)
    {
        // No "get Contacts": a contact is never removed, so one this instance has seen stored is known without a read.
        ["get Suppressions"] = 1,
        ["query Controls"] = 1,
        ["replace Quotas"] = 1,
        ["transaction Audit"] = 1, // the write-ahead: audit attempt + message record + pending marker
    };

    private static readonly SortedDictionary<string, int> ExpectedAfter = new(StringComparer.Ordinal)
    {
        // One transaction: the audit completion, the message record's update and the watchdog event (until issue 16, three
        // writes in three tables, the event a replace of a contended counter row).
        ["transaction Audit"] = 1,
    };

    // Reads together; the quota reservation together with the write-ahead transaction (one after the other until the
    // overlap of issue 16: depth 3).
    private const int ExpectedDepthBefore = 2;

    // The completion transaction. Until the issue 16 CPU pass the watchdog counter followed the other writes (depth 2),
    // and so did the contact book record when one was written.
    private const int ExpectedDepthAfter = 1;

    private static SortedDictionary<string, int> Tally(IEnumerable<StorageRequest> requests) =>
        new(requests.GroupBy(r => r.Operation + " " + r.Table).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    private static string Describe(IReadOnlyList<StorageRequest> requests) =>
        $"{requests.Count} requests, depth {(requests.Count == 0 ? 0 : requests.Max(r => r.Depth))}: "
        + string.Join(", ", requests.Select(r => $"{r.Operation} {r.Table} @{r.Depth}"));
}
