using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Quotas;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Quotas;

/// <summary>The quota ledger's behaviour, run against every storage backend (SQLite and Azurite subclasses).</summary>
public abstract class QuotaLedgerContractTests : IAsyncLifetime
{
    private static readonly QuotaCharge OneMessage = new(1, 2, 15_800);

    // Thirty seconds before midnight on 21 November: a minute later the day has rolled over and the month has not.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 23, 59, 30, TimeSpan.Zero));
    private ITableStore? _store;

    private ITableStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A client on the backend under test; every call within one test reaches the same tables.</summary>
    protected abstract ITableStore CreateClient();

    public async Task InitializeAsync()
    {
        _store = CreateClient();
        await Store.CreateTableIfNotExistsAsync(QuotaLedger.Table, CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReservesUpToTheLimit_ThenRefusesWithTheScopesReason()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:limit", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 3));

        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation);
        }

        var refused = await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        Assert.Equal(ReasonCodes.QuotaExceeded, refused.Refusal?.Code);
        Assert.Contains("today", refused.Refusal!.Message, StringComparison.Ordinal);
        var counters = await ledger.ReadAsync("c:limit", CancellationToken.None);
        var now = ledger.CurrentWindows();
        Assert.Equal((3L, 6L, 47_400L), (counters.Get(now, QuotaWindow.Day, QuotaMetric.Messages), counters.Get(now, QuotaWindow.Day, QuotaMetric.Segments),
            counters.Get(now, QuotaWindow.Day, QuotaMetric.Spend)));
    }

    [Fact]
    public async Task NextDay_StaleDayReadsAsZero_MonthKeepsCounting()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:rollover", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 2));
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Refusal);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation);
        var counters = await ledger.ReadAsync("c:rollover", CancellationToken.None);
        var now = ledger.CurrentWindows();
        Assert.Equal("20261122", now.Day);
        Assert.Equal((1L, 3L), (counters.Get(now, QuotaWindow.Day, QuotaMetric.Messages), counters.Get(now, QuotaWindow.Month, QuotaMetric.Messages)));
    }

    [Fact]
    public async Task MinuteLimit_RefusesWithinTheMinute_AndAllowsTheNext()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:minute", new QuotaLimit(QuotaWindow.Minute, QuotaMetric.Messages, 2));
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);

        var refused = await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        Assert.Equal(ReasonCodes.QuotaExceeded, refused.Refusal?.Code);
        Assert.Contains("this minute", refused.Refusal!.Message, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Refusal);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task Release_GivesTheChargeBack_SoTheNextSendFits()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:release", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Spend, 31_600));
        var first = (await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation!;
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);
        Assert.Equal(ReasonCodes.SpendCapExceeded, (await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Refusal?.Code);

        await ledger.ReleaseAsync(first, CancellationToken.None);

        var counters = await ledger.ReadAsync("c:release", CancellationToken.None);
        Assert.Equal((1L, 2L, 15_800L), (counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages),
            counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Segments), counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Spend)));
        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task ReleaseAfterTheDayMoved_LeavesTheNewDayAlone_AndTakesBackFromTheMonth()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:late-release", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 10));
        var yesterday = (await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation!;
        _time.Advance(TimeSpan.FromMinutes(1));
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);

        await ledger.ReleaseAsync(yesterday, CancellationToken.None);

        var counters = await ledger.ReadAsync("c:late-release", CancellationToken.None);
        var now = ledger.CurrentWindows();
        Assert.Equal((1L, 1L), (counters.Get(now, QuotaWindow.Day, QuotaMetric.Messages), counters.Get(now, QuotaWindow.Month, QuotaMetric.Messages)));
    }

    [Theory]
    [InlineData(QuotaScopeKind.Recipient, ReasonCodes.RecipientQuotaExceeded)]
    [InlineData(QuotaScopeKind.Prefix, ReasonCodes.PrefixQuotaExceeded)]
    [InlineData(QuotaScopeKind.Global, ReasonCodes.GlobalQuotaExceeded)]
    public async Task LaterScopeRefusing_ReleasesTheEarlierOnes(QuotaScopeKind kind, string expected)
    {
        var ledger = Ledger(Store);
        var caller = Scope(QuotaScopeKind.Caller, "c:order-" + kind, new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 100));
        var later = Scope(kind, "later-" + kind, new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 1));
        Assert.NotNull((await ledger.ReserveAsync([caller, later], OneMessage, CancellationToken.None)).Reservation);

        var refused = await ledger.ReserveAsync([caller, later], OneMessage, CancellationToken.None);

        Assert.Equal(expected, refused.Refusal?.Code);
        var counters = await ledger.ReadAsync(caller.PartitionKey, CancellationToken.None);
        Assert.Equal(1L, counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    [Fact]
    public async Task WritesThatLandedButWereReportedLost_AreCountedOnce()
    {
        var misreporting = new MisreportingTableStore(Store);
        var ledger = Ledger(misreporting);
        var scope = Scope(QuotaScopeKind.Caller, "c:misreport", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 10));

        misreporting.Misreports = 1; // the insert of a new entity
        Assert.NotNull((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation);
        misreporting.Misreports = 1; // a replace-if-match
        var second = (await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation!;
        misreporting.Misreports = 1; // a release
        await ledger.ReleaseAsync(second, CancellationToken.None);

        Assert.Equal(0, misreporting.Misreports);
        var counters = await ledger.ReadAsync("c:misreport", CancellationToken.None);
        Assert.Equal(1L, counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    [Fact]
    public async Task ConcurrentReservesFromFourClients_StopExactlyAtTheLimit()
    {
        var ledgers = Enumerable.Range(0, 4).Select(_ => Ledger(CreateClient())).ToArray();
        var scope = Scope(QuotaScopeKind.Caller, "c:race", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 20));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => ledgers[i % 4].ReserveAsync([scope], OneMessage, CancellationToken.None))));

        Assert.Equal(20, decisions.Count(d => d.Reservation is not null));
        Assert.All(decisions.Where(d => d.Reservation is null), d => Assert.Equal(ReasonCodes.QuotaExceeded, d.Refusal?.Code));
        var counters = await ledgers[0].ReadAsync("c:race", CancellationToken.None);
        Assert.Equal(20L, counters.Get(ledgers[0].CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    [Fact]
    public async Task ConcurrentReservesInOneInstance_FoldIntoFewerWrites_AndStopExactlyAtTheLimit()
    {
        var held = new HeldWriteTableStore(Store, QuotaLedger.Table);
        var ledger = Ledger(held);
        var scope = Scope(QuotaScopeKind.Caller, "c:fold", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 40));

        // The first reservation's write is held; the other 63 arrive meanwhile (each first reads, the queue being busy,
        // to see whether it would be refused anyway) and queue behind it.
        var first = Task.Run(() => ledger.ReserveAsync([scope], OneMessage, CancellationToken.None));
        await held.Held;
        var rest = Enumerable.Range(0, 63).Select(_ => Task.Run(() => ledger.ReserveAsync([scope], OneMessage, CancellationToken.None))).ToList();
        while (held.Gets < 64)
        {
            await Task.Delay(5);
        }

        await Task.Delay(100);
        held.Release();
        var decisions = await Task.WhenAll(rest.Prepend(first));

        Assert.Equal(40, decisions.Count(d => d.Reservation is not null));
        Assert.All(decisions.Where(d => d.Reservation is null), d => Assert.Equal(ReasonCodes.QuotaExceeded, d.Refusal?.Code));
        var counters = await ledger.ReadAsync("c:fold", CancellationToken.None);
        Assert.Equal(40L, counters.Get(ledger.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
        // The held write, then the 39 that fit folded into writes of up to 32 changes: a handful, not 40.
        Assert.InRange(held.Writes, 2, 8);
    }

    /// <summary>
    /// An instance dies at its Nth storage request while concurrent reservations are folded into writes: a folded write
    /// that landed unanswered counts its reservations though their callers heard a failure (over-counting, the safe
    /// side), one that never landed counts none, and no reservation is ever counted that was not asked for. Another
    /// instance then fills the quota exactly.
    /// </summary>
    [Theory]
    [InlineData(0, CrashPoint.BeforeRequest)]
    [InlineData(1, CrashPoint.BeforeRequest)]
    [InlineData(2, CrashPoint.BeforeRequest)]
    [InlineData(1, CrashPoint.AfterRequest)]
    [InlineData(2, CrashPoint.AfterRequest)]
    [InlineData(3, CrashPoint.AfterRequest)]
    public async Task CrashDuringFoldedReservations_NeverUndercounts_AndTheNextInstanceStopsExactlyAtTheLimit(int crashAt, CrashPoint point)
    {
        const int Limit = 30;
        var scope = Scope(QuotaScopeKind.Caller, $"c:crash{crashAt}{point}", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, Limit));
        var crashing = new CrashingTableStore(Store);
        var crashed = Ledger(crashing);
        crashing.Arm(crashAt, point);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await crashed.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation is not null;
            }
            catch (StorageUnavailableException)
            {
                return false;
            }
        })));
        Assert.True(crashing.Crashed);

        var recovered = Ledger(CreateClient());
        var counted = (await recovered.ReadAsync(scope.PartitionKey, CancellationToken.None)).Get(recovered.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages);
        var reserved = (long)attempts.Count(a => a);
        Assert.InRange(counted, reserved, point == CrashPoint.BeforeRequest ? reserved : (long)attempts.Length);

        var more = 0;
        while ((await recovered.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation is not null)
        {
            more++;
        }

        Assert.Equal(Limit - counted, (long)more);
        Assert.Equal(Limit, (await recovered.ReadAsync(scope.PartitionKey, CancellationToken.None)).Get(recovered.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    [Fact]
    public async Task Check_ReportsTheRefusal_WithoutReserving()
    {
        var ledger = Ledger(Store);
        var scope = Scope(QuotaScopeKind.Caller, "c:check", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 1));
        Assert.Null(await ledger.CheckAsync([scope], OneMessage, CancellationToken.None));
        Assert.Null(await ledger.CheckAsync([scope], OneMessage, CancellationToken.None));
        await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None);

        Assert.Equal(ReasonCodes.QuotaExceeded, (await ledger.CheckAsync([scope], OneMessage, CancellationToken.None))?.Code);
    }

    [Fact]
    public async Task LaggingClockAcrossAMinute_NeverResetsTheNewerMinute()
    {
        // Instance A is in minute 00:00 of the new day; instance B's clock is 0.3 s behind, still in 23:59.
        var ahead = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, 200, TimeSpan.Zero));
        var behind = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 59, 59, 900, TimeSpan.Zero));
        var a = Ledger(Store, ahead);
        var b = Ledger(CreateClient(), behind);
        var scope = Scope(QuotaScopeKind.Caller, "c:lag-minute", new QuotaLimit(QuotaWindow.Minute, QuotaMetric.Messages, 2));

        var granted = await ReserveCountAsync(a, scope, 3);
        var lagging = await b.ReserveAsync([scope], OneMessage, CancellationToken.None);
        granted += await ReserveCountAsync(a, scope, 3);

        // The lagging instance checks against the newer minute, which is full; the newer minute keeps its count.
        Assert.Equal(ReasonCodes.QuotaExceeded, lagging.Refusal?.Code);
        Assert.Equal(2, granted);
        var counters = await a.ReadAsync(scope.PartitionKey, CancellationToken.None);
        Assert.Equal(2L, counters.Get(a.CurrentWindows(), QuotaWindow.Minute, QuotaMetric.Messages));
    }

    [Fact]
    public async Task LaggingClockAcrossMidnight_NeverResetsTheNewerDay()
    {
        var ahead = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, 200, TimeSpan.Zero));
        var behind = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 59, 59, 900, TimeSpan.Zero));
        var a = Ledger(Store, ahead);
        var b = Ledger(CreateClient(), behind);
        var scope = Scope(QuotaScopeKind.Global, "global:lag-day", new QuotaLimit(QuotaWindow.Day, QuotaMetric.Messages, 3));

        var granted = await ReserveCountAsync(a, scope, 2);
        var lagging = await b.ReserveAsync([scope], OneMessage, CancellationToken.None);
        granted += await ReserveCountAsync(a, scope, 3);

        // The lagging send counts into the newer day (the one stored), so the day holds exactly its limit.
        Assert.NotNull(lagging.Reservation);
        Assert.Equal(2, granted);
        var counters = await a.ReadAsync(scope.PartitionKey, CancellationToken.None);
        Assert.Equal(3L, counters.Get(a.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));

        // And its release takes back from the window it was counted in.
        await b.ReleaseAsync(lagging.Reservation!, CancellationToken.None);
        counters = await a.ReadAsync(scope.PartitionKey, CancellationToken.None);
        Assert.Equal(2L, counters.Get(a.CurrentWindows(), QuotaWindow.Day, QuotaMetric.Messages));
    }

    private static async Task<int> ReserveCountAsync(QuotaLedger ledger, QuotaScope scope, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if ((await ledger.ReserveAsync([scope], OneMessage, CancellationToken.None)).Reservation is not null)
            {
                granted++;
            }
        }

        return granted;
    }

    private static QuotaScope Scope(QuotaScopeKind kind, string key, QuotaLimit limit) => new(kind, key, [limit]);

    private QuotaLedger Ledger(ITableStore store, TimeProvider? time = null) =>
        new(store, time ?? _time, Options.Create(new QuotaOptions()), NullLogger<QuotaLedger>.Instance);
}
