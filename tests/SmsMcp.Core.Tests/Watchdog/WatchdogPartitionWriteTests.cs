using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// The scan's writes that share one partition go out as entity group transactions: the quiet incidents it resolves
/// (partition <c>incident</c>) and the regions it learns (partition <c>countries</c>) cost one write request, not one per
/// row. An incident another scan saw again between the read and the transaction keeps the whole transaction from being
/// written; decided again, it stays open and only the others are resolved (and notified). Run on every backend.
/// </summary>
public abstract class WatchdogPartitionWriteTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Then = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cooldown = TimeSpan.FromHours(1);
    private static readonly Finding[] Findings = [Found("volume", "dev"), Found("spend", "dev"), Found("refusals", "other")];

    /// <summary>Tables of its own for each test (Azurite is shared by the collection).</summary>
    protected ITableStore Store { get; private set; } = null!;

    protected abstract Task<ITableStore> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.CreateTableIfNotExistsAsync(IncidentStore.Table, None);
        await Store.CreateTableIfNotExistsAsync(WatchdogState.Table, None);
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    private static Finding Found(string rule, string callerId) =>
        new(rule, Finding.CallerScope(callerId), callerId, rule + " for " + callerId, new Dictionary<string, string>());

    private async Task OpenAllAsync()
    {
        foreach (var finding in Findings)
        {
            Assert.Equal(Then, await new IncidentStore(Store).SeenAsync(finding, critical: false, Then, None));
        }
    }

    private async Task<Dictionary<string, string>> StatesAsync() =>
        (await Store.QueryPartitionAsync(IncidentStore.Table, "incident", null, null, 100, null, None)).Entities
            .ToDictionary(e => e.RowKey, e => e.Get<string>("State")!);

    [Fact]
    public async Task QuietIncidents_AreResolvedInOneTransaction()
    {
        await OpenAllAsync();
        var counting = new CountingTableStore(Store);

        var resolved = await new IncidentStore(counting).ResolveQuietAsync(new HashSet<string>(), Cooldown, Then + Cooldown, None);

        Assert.Equal(Findings.Select(f => (f.Rule, f.CallerId)).Order(), resolved.Select(r => (r.Rule, r.CallerId)).Order());
        Assert.All((await StatesAsync()).Values, state => Assert.Equal("resolved", state));
        Assert.Equal(new Dictionary<string, int>
        {
            ["query"] = 1, ["query " + IncidentStore.Table] = 1, ["transaction"] = 1, ["transaction " + IncidentStore.Table] = 1,
        }, counting.Snapshot());
    }

    [Fact]
    public async Task IncidentSeenAgainByAnotherScan_StaysOpen_AndTheRefusedTransactionResolvedNothing()
    {
        await OpenAllAsync();
        var seenAgain = Findings[1];
        Dictionary<string, string>? afterRejected = null;
        var hooked = new TransactionHookTableStore(Store)
        {
            // Another scan sees the condition again after our read, before our transaction.
            BeforeFirst = async () => Assert.Null(await new IncidentStore(Store).SeenAsync(seenAgain, critical: false, Then + Cooldown, None)),
            AfterRejected = async _ => afterRejected = await StatesAsync(),
        };
        var counting = new CountingTableStore(hooked);

        var resolved = await new IncidentStore(counting).ResolveQuietAsync(new HashSet<string>(), Cooldown, Then + Cooldown, None);

        Assert.All(afterRejected!.Values, state => Assert.Equal("open", state));
        Assert.Equal(new[] { Findings[0].Rule, Findings[2].Rule }.Order(), resolved.Select(r => r.Rule).Order());
        var states = await StatesAsync();
        Assert.Equal("open", states[seenAgain.Key]);
        Assert.Equal("resolved", states[Findings[0].Key]);
        Assert.Equal("resolved", states[Findings[2].Key]);
        Assert.Equal(2, counting.Snapshot()["transaction"]);
        Assert.False(counting.Snapshot().ContainsKey("replace"));
    }

    [Fact]
    public async Task TwoScansResolvingTheSameIncidents_EachIsResolvedAndNotifiedOnce()
    {
        var findings = Enumerable.Range(0, 30).Select(i => Found("volume", "caller" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        foreach (var finding in findings)
        {
            await new IncidentStore(Store).SeenAsync(finding, critical: false, Then, None);
        }

        IReadOnlyList<ResolvedIncident>? other = null;
        // The other scan resolves them all after this one read them, before this one's transaction.
        var hooked = new TransactionHookTableStore(Store)
        {
            BeforeFirst = async () => other = await new IncidentStore(Store).ResolveQuietAsync(new HashSet<string>(), Cooldown, Then + Cooldown, None),
        };
        var counting = new CountingTableStore(hooked);

        var mine = await new IncidentStore(counting).ResolveQuietAsync(new HashSet<string>(), Cooldown, Then + Cooldown, None);

        Assert.Empty(mine);
        Assert.Equal(findings.Length, other!.Count);
        // One refused transaction, then every row read again at once: nothing left to write, not one attempt per incident.
        Assert.Equal(1, counting.Snapshot()["transaction"]);
    }

    [Fact]
    public async Task RegionsOfSeveralCallers_AreLearnedInOneTransaction_AndNothingNewWritesNothing()
    {
        await new WatchdogState(Store).LearnCountriesAsync(new Dictionary<string, IReadOnlyCollection<string>> { ["b"] = ["FR"] }, Then - TimeSpan.FromDays(3), None);
        var counting = new CountingTableStore(Store);
        var state = new WatchdogState(counting);
        var learning = new Dictionary<string, IReadOnlyCollection<string>> { ["a"] = ["US"], ["b"] = ["US", "CA"], ["c"] = ["GB"] };

        await state.LearnCountriesAsync(learning, Then, None);
        var afterFirst = counting.Snapshot();
        counting.Reset();
        await state.LearnCountriesAsync(learning, Then, None);

        Assert.Equal(1, afterFirst["transaction"]);
        Assert.Equal(3, afterFirst["get"]);
        Assert.False(counting.Snapshot().ContainsKey("transaction"));
        var known = await new WatchdogState(Store).ReadCountriesAsync(Then + WatchdogState.LearningPeriod, None);
        Assert.Equal(new[] { "CA", "FR", "US" }, known["b"].Order());
        Assert.Equal(new[] { "US" }, known["a"]);
        Assert.Equal(new[] { "GB" }, known["c"]);
    }
}
