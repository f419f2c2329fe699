using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Confirmation;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Confirmation;

/// <summary>
/// Issuing and redeeming confirmation states on a <see cref="FakeTimeProvider"/>, with several gates ("instances") each
/// on its own client of one backend: a state redeems once anywhere, only for its caller and request, only before it
/// expires; a ledger that cannot answer refuses. Run against every backend.
/// </summary>
public abstract class ConfirmationGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _directory = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    // Unique per test: the Azurite backend is shared by the whole collection.
    private readonly string _caller = "confirm-" + Guid.NewGuid().ToString("N");

    private static CancellationToken None => CancellationToken.None;

    /// <summary>A new client of the one backend under test (a separate instance's view of the same tables).</summary>
    protected abstract ITableStore CreateStore(string directory);

    public async Task InitializeAsync() => await CreateStore(_directory.Path).CreateTableIfNotExistsAsync(ConfirmationLedger.Table, None);

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private ConfirmationGate Gate(ITableStore? store = null) => new(
        new ConfirmationStateCodec(_key),
        new ConfirmationLedger(store ?? CreateStore(_directory.Path), _time),
        Options.Create(new ConfirmationOptions { Lifetime = Lifetime }),
        _time,
        NullLogger<ConfirmationGate>.Instance);

    private string Digest(ConfirmationGate gate, string body = "hello") => gate.RequestDigest(_caller, "confirming", "demo", body, null);

    [Fact]
    public async Task FreshState_RedeemsOnce_ThenReplayedOnEveryInstance()
    {
        var gate = Gate();
        var digest = Digest(gate);
        var state = gate.Issue(_caller, digest);

        Assert.Null(await gate.RedeemAsync(_caller, digest, state, None));
        Assert.Equal(Refusal.ConfirmationReplayed, await gate.RedeemAsync(_caller, digest, state, None));
        Assert.Equal(Refusal.ConfirmationReplayed, await Gate().RedeemAsync(_caller, digest, state, None));
    }

    [Fact]
    public async Task ConcurrentRedemptions_OnManyInstances_ExactlyOneSucceeds()
    {
        var issuer = Gate();
        var digest = Digest(issuer);
        var state = issuer.Issue(_caller, digest);
        var gates = Enumerable.Range(0, 8).Select(_ => Gate()).ToList();

        var answers = await Task.WhenAll(gates.Select(g => Task.Run(() => g.RedeemAsync(_caller, digest, state, None))));

        Assert.Single(answers, a => a is null);
        Assert.All(answers.Where(a => a is not null), a => Assert.Equal(Refusal.ConfirmationReplayed, a));
    }

    [Fact]
    public async Task Expiry_LastMomentRedeems_AtTheLifetimeRefused()
    {
        var gate = Gate();
        var digest = Digest(gate);
        var late = gate.Issue(_caller, digest);
        var onTime = gate.Issue(_caller, digest);

        _time.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Null(await gate.RedeemAsync(_caller, digest, onTime, None));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Refusal.ConfirmationExpired, await gate.RedeemAsync(_caller, digest, late, None));
    }

    [Fact]
    public async Task StateUsedBeforeTheHourlyLayout_ItsLegacyRowStillRefusesTheReplay()
    {
        var store = CreateStore(_directory.Path);
        var state = ConfirmationStateCodec.NewState(_caller, "digest", _time.GetUtcNow() + Lifetime);
        await store.InsertAsync(ConfirmationLedger.Table,
            new TableEntity(state.Nonce, ConfirmationLedger.LegacyRow, new Dictionary<string, object> { ["CallerId"] = _caller }), None);

        Assert.False(await new ConfirmationLedger(store, _time).TryUseAsync(state, None));
        Assert.True(await new ConfirmationLedger(store, _time).TryUseAsync(ConfirmationStateCodec.NewState(_caller, "digest", _time.GetUtcNow() + Lifetime), None));
    }

    [Fact]
    public async Task Sweep_DeletesAnExpiryHourOnlyAnHourAfterItEnded_AndNextStartsWhereItStopped()
    {
        var store = CreateStore(_directory.Path);
        try
        {
            // The Azurite backend is shared with other test classes: start from no mark, as a first sweep would.
            await store.DeleteAsync(ConfirmationLedger.Table, ConfirmationLedger.SweepPartition, ConfirmationLedger.SweepRow, "*", None);
        }
        catch (EntityNotFoundException)
        {
        }

        var ledger = new ConfirmationLedger(store, _time);
        var start = _time.GetUtcNow();
        var early = ConfirmationStateCodec.NewState(_caller, "digest", start.AddMinutes(5));
        var later = ConfirmationStateCodec.NewState(_caller, "digest", start.AddMinutes(90));
        Assert.True(await ledger.TryUseAsync(early, None));
        Assert.True(await ledger.TryUseAsync(later, None));

        // 13:59: the 12:00 hour ended 59 minutes ago, within the margin for a clock running behind: kept.
        _time.Advance(TimeSpan.FromMinutes(119));
        await ledger.SweepAsync(None);
        Assert.False(await ledger.TryUseAsync(early, None));

        // 14:00: the 12:00 hour goes (a second use of its state is possible only because the gate refuses it as expired
        // before asking the ledger); the 13:00 hour stays.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await ledger.SweepAsync(None) >= 1);
        Assert.False(await ledger.TryUseAsync(later, None));
        Assert.True(await ledger.TryUseAsync(early, None));

        // 15:00: the 13:00 hour goes; the 12:00 hour is not read again (the mark moved past it), so the row written at
        // 14:00 stays until an operator deletes it.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(await ledger.SweepAsync(None) >= 1);
        Assert.True(await ledger.TryUseAsync(later, None));
        Assert.False(await ledger.TryUseAsync(early, None));
    }

    [Fact]
    public async Task AnotherCallerOrAnotherRequest_IsInvalid_AndTheStateStaysRedeemableByItsOwner()
    {
        var gate = Gate();
        var digest = Digest(gate);
        var state = gate.Issue(_caller, digest);

        Assert.Equal(Refusal.ConfirmationInvalid, await gate.RedeemAsync("someone-else", digest, state, None));
        Assert.Equal(Refusal.ConfirmationInvalid, await gate.RedeemAsync(_caller, Digest(gate, "another body"), state, None));
        Assert.Equal(Refusal.ConfirmationInvalid, await gate.RedeemAsync(_caller, digest, null, None));
        Assert.Null(await gate.RedeemAsync(_caller, digest, state, None));
    }

    [Fact]
    public async Task LedgerUnavailable_RefusesStorageUnavailable_AndTheStateIsNotUsedUp()
    {
        var faulty = new FaultyTableStore(CreateStore(_directory.Path));
        var gate = Gate(faulty);
        var digest = Digest(gate);
        var state = gate.Issue(_caller, digest);

        faulty.Fail("insert", ConfirmationLedger.Table);
        Assert.Equal(Refusal.StorageUnavailable, await gate.RedeemAsync(_caller, digest, state, None));
        faulty.Heal();
        Assert.Null(await gate.RedeemAsync(_caller, digest, state, None));
    }
}
