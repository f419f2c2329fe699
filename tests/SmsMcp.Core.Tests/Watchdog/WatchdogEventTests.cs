using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// Watchdog events and their folding: whatever was folded when — by one scanner, by two at once, by a scan that failed
/// between its fold rows and its marker — a period reads as the sum of the changes its events, and the counter rows
/// written before events existed, hold; and an event never shows in the audit trail. Run on every backend.
/// </summary>
public abstract class WatchdogEventTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Hour = new(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] Callers = ["a", "b.c", "d:e"];
    private static readonly string[] Codes = ["country_not_allowed", "quota_exceeded"];
    private static readonly Pseudonymizer Pseudonymizer = new(new byte[32]);
    private static readonly SmsMcp.Core.Policy.SendPolicy Policy = WatchdogRig.DefaultPolicy();
    private int _hours;

    /// <summary>Tables of its own for each test (Azurite is shared by the collection).</summary>
    protected ITableStore Store { get; private set; } = null!;

    /// <summary>How many random histories the property tries (fewer where each request crosses a process).</summary>
    protected abstract int PropertyCases { get; }

    protected abstract Task<ITableStore> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.CreateTableIfNotExistsAsync(TrafficCounters.Table, None);
        await Store.CreateTableIfNotExistsAsync(AuditLog.Table, None);
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>One change: a send to one of a few numbers, a refusal, or a final status, at a time within the period.</summary>
    public sealed record Change(int Caller, int Kind, int Detail, int Second, int LagSeconds);

    /// <summary>A history: changes, and the times (seconds after the period's start) scans ran at.</summary>
    public sealed record History(Change[] Changes, int[] Scans);

    private static readonly Gen<Change> Changes =
        from caller in Gen.Choose(0, Callers.Length - 1)
        from kind in Gen.Choose(0, 2)
        from detail in Gen.Choose(0, 5)
        from second in Gen.Choose(0, 3599)
        from lag in Gen.Elements(0, 1, 30, 200, 299)
        select new Change(caller, kind, detail, second, lag);

    private static readonly Gen<History> Histories =
        from changes in Gen.ArrayOf(Changes).Select(c => c.Take(40).ToArray())
        from scans in Gen.ArrayOf(Gen.Choose(0, 6000)).Select(s => s.Take(6).ToArray())
        select new History(changes, scans);

    [Fact]
    public void Property_AnyFoldTiming_ReadsTheSumOfTheChanges()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(PropertyCases), Prop.ForAll(Histories.ToArbitrary(), history =>
            RunHistoryAsync(history).GetAwaiter().GetResult()));
    }

    // Plays a history in time order (an event is written LagSeconds after its time, as a walk would), checking every scan
    // and a final read against the changes written so far.
    private async Task RunHistoryAsync(History history)
    {
        var hour = Hour + TimeSpan.FromDays(Interlocked.Increment(ref _hours));
        var clock = new FakeTimeProvider(hour);
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        var steps = history.Changes.Select(c => (At: hour + TimeSpan.FromSeconds(c.Second + c.LagSeconds), Change: (Change?)c))
            .Concat(history.Scans.Select(s => (At: hour + TimeSpan.FromSeconds(s), Change: (Change?)null)))
            .OrderBy(s => s.At).ThenBy(s => s.Change is null ? 1 : 0)
            .ToList();
        var written = new List<Change>();
        foreach (var (at, change) in steps)
        {
            clock.SetUtcNow(at);
            if (change is { } c)
            {
                await WriteAsync(traffic, hour, c);
                written.Add(c);
            }
            else
            {
                AssertSame(Expected(hour, written), await traffic.ScanPeriodAsync(hour, at, None));
            }
        }

        AssertSame(Expected(hour, written), await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ReadPeriodAsync(hour, None));
    }

    [Fact]
    public async Task TwoScannersFoldTheSameSlices_IdenticalRows_SameBuckets()
    {
        var clock = new FakeTimeProvider(Hour);
        var changes = await WriteSpreadAsync(clock, Hour);
        var after = Hour + TimeSpan.FromHours(2);

        var both = await Task.WhenAll(
            new TrafficCounters(Store, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, after, None),
            new TrafficCounters(Store, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, after, None));
        var folded = await FoldRowsAsync(Hour);
        var again = await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, after, None);

        AssertSame(Expected(Hour, changes), both[0]);
        AssertSame(Expected(Hour, changes), both[1]);
        AssertSame(Expected(Hour, changes), again);
        Assert.Equal(TrafficSlices.PerPeriod, folded.Count(r => r.Key.StartsWith("~s", StringComparison.Ordinal)));
        Assert.Equal(folded, await FoldRowsAsync(Hour));
    }

    [Fact]
    public async Task FoldedHour_IsOnePartitionQuery()
    {
        var clock = new FakeTimeProvider(Hour);
        var changes = await WriteSpreadAsync(clock, Hour);
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None);
        var counting = new CountingTableStore(Store);

        var read = await new TrafficCounters(counting, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None);

        AssertSame(Expected(Hour, changes), read);
        Assert.Equal(["query " + TrafficCounters.Table], counting.Requests.Select(r => r.Operation + " " + r.Table));
    }

    [Fact]
    public async Task ScanFailsBetweenFoldRowsAndMarker_ReadsTheEvents_NextScanFoldsTheSame()
    {
        var clock = new FakeTimeProvider(Hour);
        var changes = await WriteSpreadAsync(clock, Hour);
        var after = Hour + TimeSpan.FromHours(2);

        var failed = await new TrafficCounters(new MarkerLostStore(Store), Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, after, None);
        var halfway = await FoldRowsAsync(Hour);
        var read = await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ReadPeriodAsync(Hour, None);
        var rescanned = await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, after, None);

        Assert.Contains(halfway.Keys, k => k.StartsWith("~f", StringComparison.Ordinal));
        Assert.DoesNotContain(halfway.Keys, k => k.StartsWith("~s", StringComparison.Ordinal));
        AssertSame(Expected(Hour, changes), failed);
        AssertSame(Expected(Hour, changes), read);
        AssertSame(Expected(Hour, changes), rescanned);
        var folded = await FoldRowsAsync(Hour);
        Assert.Equal(halfway, folded.Where(r => !r.Key.StartsWith("~s", StringComparison.Ordinal)).ToDictionary());
        AssertSame(Expected(Hour, changes), await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ReadPeriodAsync(Hour, None));
    }

    [Fact]
    public async Task MarkerSeenWithoutAllItsFoldRows_TheSliceIsReadFromItsEvents()
    {
        // What a read paged across a fold landing between two pages can see: a slice's marker, but not every row it
        // counts. Here one fold row is taken away under its marker.
        var clock = new FakeTimeProvider(Hour);
        var changes = await WriteSpreadAsync(clock, Hour);
        await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None);
        var foldRow = (await FoldRowsAsync(Hour)).Keys.First(k => k.StartsWith("~f", StringComparison.Ordinal));
        await Store.DeleteAsync(TrafficCounters.Table, TrafficCounters.PeriodKey(Hour), foldRow, "*", None);

        AssertSame(Expected(Hour, changes), await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ReadPeriodAsync(Hour, None));
    }

    [Fact]
    public async Task CounterRowsOfBeforeEvents_AddToEventsAndFolds()
    {
        var clock = new FakeTimeProvider(Hour);
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        var legacy = new TrafficBucket { Attempts = 7, Sent = 5, Segments = 5, SpendMicros = 41_500, Delivered = 4 };
        legacy.Refusals["country_not_allowed"] = 2;
        legacy.Countries["US"] = 5;
        legacy.AddPrefix("p_legacy", 3);
        await traffic.WriteAsync("a", Hour, legacy, None);
        await Store.UpsertAsync(TrafficCounters.Table, new TableEntity(TrafficCounters.PeriodKey(Hour), "a|5", legacy.ToProperties()), None);
        var changes = await WriteSpreadAsync(clock, Hour);

        var expected = Expected(Hour, changes);
        expected["a"].Merge(legacy);
        expected["a"].Merge(legacy);
        AssertSame(expected, await traffic.ReadPeriodAsync(Hour, None));
        AssertSame(expected, await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromMinutes(40), None));
        AssertSame(expected, await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None));
        AssertSame(expected, await traffic.ReadPeriodAsync(Hour, None));
    }

    [Fact]
    public async Task Events_NeverShowInTheAuditTrail()
    {
        var clock = new FakeTimeProvider(Hour);
        var sealer = new AuditSealer(new byte[32]);
        var audit = new AuditLog(Store, sealer, clock);
        var record = new AuditRecord
        {
            Id = AuditLog.NewId(Hour), Time = Hour, CallerId = "a", Tool = "send_sms", BodyHash = "", BodyLength = 0, Segments = 1,
            Stage = AuditStage.Attempt, Decision = AuditDecision.Denied, ReasonCode = "country_not_allowed",
        };
        await audit.RecordAsync(record, None);
        var changes = await WriteSpreadAsync(clock, Hour);
        var day = DateOnly.FromDateTime(Hour.UtcDateTime);

        var events = await Store.QueryPartitionAsync(AuditLog.Table, AuditLog.PartitionOf(day), "w:", "w;", 1000, null, None);
        Assert.Equal(changes.Count, events.Entities.Count);
        Assert.Equal([record.Id], (await audit.ReadDayAsync(day, None)).Select(r => r.Id));
        Assert.True((await new AuditVerifier(Store, sealer).VerifyAsync(day, None)).IsIntact);
        await using var export = AuditLog.ReadStoredAsync(Store, day, day, None).GetAsyncEnumerator();
        Assert.True(await export.MoveNextAsync());
        Assert.Equal(record.Id, export.Current.RowKey);
        Assert.False(await export.MoveNextAsync());
    }

    [Fact]
    public async Task InsertAnswerLost_CountsOnce()
    {
        var clock = new FakeTimeProvider(Hour);

        await new TrafficCounters(new LostResponseTableStore(Store, "insert"), Policy, Pseudonymizer, clock)
            .RecordDeliveryAsync("a", MessageStatus.Undelivered, 30450, false, Hour, None);

        var bucket = await new TrafficCounters(Store, Policy, Pseudonymizer, clock).ReadAsync("a", Hour, None);
        Assert.Equal((1L, 1L), (bucket.Undelivered, bucket.BlockedErrors));
    }

    [Fact]
    public async Task EventWrittenLate_CountsWhereWritten_NotLostToAFold()
    {
        var clock = new FakeTimeProvider(Hour + TimeSpan.FromMinutes(1));
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        await traffic.RecordRefusalAsync("a", "quota_exceeded", Hour, None);
        // Everything a scan may fold by Hour + 30 min is folded, so an event still stamped Hour would be lost.
        await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromMinutes(30), None);
        clock.SetUtcNow(Hour + TimeSpan.FromMinutes(30));

        await traffic.RecordRefusalAsync("a", "quota_exceeded", Hour + TimeSpan.FromMinutes(2), None);

        var bucket = (await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None))["a"];
        Assert.Equal((2L, 2L), (bucket.Attempts, bucket.Refusals["quota_exceeded"]));
    }

    [Fact]
    public async Task MoreThan200BlocksInAnHour_OverflowWhateverTheSlices_FoldedOrNot()
    {
        var clock = new FakeTimeProvider(Hour);
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        var evaluation = SmsSegmenter.Analyze("hello");
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            // 150 blocks in the first slice, 150 others in the second: no slice alone holds more than 200.
            Assert.True(PhoneNumberParser.TryParse($"+1202{200 + i:d3}0123", out var number, out _));
            var outcome = SendOutcome.Sent(new SendResult("msg_" + i, MessageStatus.Queued, 1, SmsEncoding.Gsm7, number.Masked));
            await traffic.RecordSendAsync(new CallerIdentity("a"), new SendEvaluation(new ResolvedRecipient(number, null), evaluation, null), outcome,
                Hour + TimeSpan.FromMinutes(i < 150 ? 1 : 6), None);
        });

        var raw = (await traffic.ReadPeriodAsync(Hour, None))["a"];
        var folded = (await traffic.ScanPeriodAsync(Hour, Hour + TimeSpan.FromHours(2), None))["a"];
        var read = (await traffic.ReadPeriodAsync(Hour, None))["a"];

        Assert.All(new[] { raw, folded, read }, bucket =>
            Assert.Equal((300L, TrafficBucket.MaxPrefixes, 100L), (bucket.Sent, bucket.Prefixes.Count, bucket.PrefixOverflow)));
    }

    /// <summary>One change of every kind in every slice, each written as its time comes; the changes written.</summary>
    private async Task<List<Change>> WriteSpreadAsync(FakeTimeProvider clock, DateTimeOffset hour)
    {
        var traffic = new TrafficCounters(Store, Policy, Pseudonymizer, clock);
        var changes = new List<Change>();
        for (var slice = 0; slice < TrafficSlices.PerPeriod; slice++)
        {
            for (var kind = 0; kind < 3; kind++)
            {
                var change = new Change((slice + kind) % Callers.Length, kind, slice % 6, (slice * 300) + (kind * 90), 0);
                clock.SetUtcNow(hour + TimeSpan.FromSeconds(change.Second));
                await WriteAsync(traffic, hour, change);
                changes.Add(change);
            }
        }

        return changes;
    }

    private static async Task WriteAsync(TrafficCounters traffic, DateTimeOffset hour, Change change)
    {
        var caller = Callers[change.Caller];
        var at = hour + TimeSpan.FromSeconds(change.Second);
        switch (change.Kind)
        {
            case 0:
                Assert.True(PhoneNumberParser.TryParse(Number(change.Detail), out var number, out _));
                var evaluation = new SendEvaluation(new ResolvedRecipient(number, null), SmsSegmenter.Analyze("hello"), null);
                var outcome = SendOutcome.Sent(new SendResult("msg_" + Guid.NewGuid().ToString("N"), MessageStatus.Queued, 1, SmsEncoding.Gsm7, number.Masked));
                await traffic.RecordSendAsync(new CallerIdentity(caller), evaluation, outcome, at, None);
                break;
            case 1:
                await traffic.RecordRefusalAsync(caller, Codes[change.Detail % Codes.Length], at, None);
                break;
            default:
                await traffic.RecordDeliveryAsync(caller, change.Detail % 2 == 0 ? MessageStatus.Delivered : MessageStatus.Undelivered,
                    change.Detail % 3 == 0 ? 30450 : null, false, at, None);
                break;
        }
    }

    private static string Number(int detail) => "+12025550" + (detail < 3 ? "1" : "2") + (40 + detail).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The buckets the changes add up to, stated on their own (not through the code under test).</summary>
    private static Dictionary<string, TrafficBucket> Expected(DateTimeOffset hour, IEnumerable<Change> changes)
    {
        var buckets = new Dictionary<string, TrafficBucket>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => TrafficCounters.PeriodStart(hour + TimeSpan.FromSeconds(c.Second)) == hour))
        {
            var caller = Callers[change.Caller];
            var bucket = buckets.TryGetValue(caller, out var known) ? known : buckets[caller] = new TrafficBucket();
            switch (change.Kind)
            {
                case 0:
                    var number = Number(change.Detail);
                    bucket.Attempts++;
                    bucket.Sent++;
                    bucket.Segments++;
                    bucket.SpendMicros += 8300;
                    bucket.Countries["US"] = bucket.Countries.GetValueOrDefault("US") + 1;
                    bucket.AddPrefix(Pseudonymizer.Prefix(number[..^2]), int.Parse(number[^2..], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case 1:
                    var code = Codes[change.Detail % Codes.Length];
                    bucket.Attempts++;
                    bucket.Refusals[code] = bucket.Refusals.GetValueOrDefault(code) + 1;
                    break;
                default:
                    if (change.Detail % 2 == 0)
                    {
                        bucket.Delivered++;
                    }
                    else
                    {
                        bucket.Undelivered++;
                    }

                    bucket.BlockedErrors += change.Detail % 3 == 0 ? 1 : 0;
                    break;
            }
        }

        return buckets;
    }

    private static void AssertSame(IReadOnlyDictionary<string, TrafficBucket> expected, IReadOnlyDictionary<string, TrafficBucket> actual) =>
        Assert.Equal(Describe(expected), Describe(actual));

    private static SortedDictionary<string, string> Describe(IReadOnlyDictionary<string, TrafficBucket> buckets) =>
        new(buckets.ToDictionary(b => b.Key, b => string.Join(";", b.Value.ToProperties().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))),
            StringComparer.Ordinal);

    /// <summary>The period's fold rows and markers, each as its properties.</summary>
    private async Task<Dictionary<string, string>> FoldRowsAsync(DateTimeOffset hour) =>
        (await Store.QueryPartitionAsync(TrafficCounters.Table, TrafficCounters.PeriodKey(hour), "~", null, 1000, null, None)).Entities
            .ToDictionary(e => e.RowKey, e => string.Join(";", e.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)));

    /// <summary>A scan that stops between its fold rows and its marker: every transaction's fold rows land, its markers do not, and the write fails.</summary>
    private sealed class MarkerLostStore(ITableStore inner) : ITableStore
    {
        public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) => inner.CreateTableIfNotExistsAsync(table, cancellationToken);

        public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken) => inner.GetAsync(table, partitionKey, rowKey, cancellationToken);

        public Task<string> InsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.InsertAsync(table, entity, cancellationToken);

        public Task<string> ReplaceAsync(string table, TableEntity entity, string ifMatch, CancellationToken cancellationToken) => inner.ReplaceAsync(table, entity, ifMatch, cancellationToken);

        public Task<string> UpsertAsync(string table, TableEntity entity, CancellationToken cancellationToken) => inner.UpsertAsync(table, entity, cancellationToken);

        public Task DeleteAsync(string table, string partitionKey, string rowKey, string ifMatch, CancellationToken cancellationToken) => inner.DeleteAsync(table, partitionKey, rowKey, ifMatch, cancellationToken);

        public Task<TablePage> QueryPartitionAsync(string table, string partitionKey, string? rowKeyFrom, string? rowKeyTo, int maxPerPage, string? continuationToken, CancellationToken cancellationToken) =>
            inner.QueryPartitionAsync(table, partitionKey, rowKeyFrom, rowKeyTo, maxPerPage, continuationToken, cancellationToken);

        public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(string table, IReadOnlyList<TableWrite> writes, CancellationToken cancellationToken)
        {
            await inner.SubmitTransactionAsync(table, [.. writes.Where(w => !w.Entity.RowKey.StartsWith("~s", StringComparison.Ordinal))], cancellationToken);
            throw new StorageUnavailableException("The scan stopped before its marker.");
        }
    }
}
