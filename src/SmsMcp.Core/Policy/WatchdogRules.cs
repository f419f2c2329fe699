using System.Collections.Frozen;

namespace SmsMcp.Core.Policy;

/// <summary>
/// The watchdog's thresholds (policy <c>watchdog</c>; every field optional). The defaults are meant to work untouched:
/// absolute floors keep small volumes from ever alarming, the statistical rule waits for confirmation, and only the
/// hard rules suspend a caller. Money is in the policy's pricing currency.
/// </summary>
public sealed record WatchdogRules
{
    public static WatchdogRules Default { get; } = new();

    /// <summary>Rules whose finding suspends the caller (<c>critical</c>). Default: the hard rules only.</summary>
    public IReadOnlySet<string> Critical { get; init; } = new[] { WatchdogRule.SpendCap, WatchdogRule.SmsPumping, WatchdogRule.HighCostCountry }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>After an incident's condition was last seen, how long it must stay away before the resolution notice (<c>cooldownMinutes</c>, default 60).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Recipient aliases texted with every alert (<c>onCall.aliases</c>; default none).</summary>
    public IReadOnlyList<string> OnCallAliases { get; init; } = [];

    /// <summary>Alert texts per UTC day across all on-call aliases (<c>onCall.maxPerDay</c>, default 20), outside every caller's quota.</summary>
    public long OnCallMaxPerDay { get; init; } = 20;

    /// <summary>Messages per hour below which volume never alarms (<c>volume.floor</c>, default 50).</summary>
    public long VolumeFloor { get; init; } = 50;

    /// <summary>How many times the baseline median an hour must reach (<c>volume.ratio</c>, default 3).</summary>
    public long VolumeRatio { get; init; } = 3;

    /// <summary>How many scaled MADs above the median an hour must reach (<c>volume.madMultiplier</c>, default 6).</summary>
    public long VolumeMadMultiplier { get; init; } = 6;

    /// <summary>The baseline: the same hour of each of the last N days (<c>volume.baselineDays</c>, default 7).</summary>
    public int VolumeBaselineDays { get; init; } = 7;

    /// <summary>Fires when this many (<c>volume.confirm</c>, default 2) of the last <see cref="VolumeWindow"/> hours are high.</summary>
    public int VolumeConfirm { get; init; } = 2;

    /// <summary>The confirmation window in hours (<c>volume.window</c>, default 3).</summary>
    public int VolumeWindow { get; init; } = 3;

    /// <summary>Alert on the first traffic to a region the caller never used (<c>countries.alertOnNew</c>, default true).</summary>
    public bool AlertOnNewCountry { get; init; } = true;

    /// <summary>Regions that count as high-cost whatever they cost (<c>countries.highCost</c>; default none).</summary>
    public IReadOnlySet<string> HighCostCountries { get; init; } = FrozenSet<string>.Empty;

    /// <summary>A region priced at or above this per segment counts as high-cost (<c>countries.highCostPricePerSegment</c>, default 0.15).</summary>
    public decimal HighCostPricePerSegment { get; init; } = 0.15m;

    /// <summary>Alert when the spend rate would cross a daily or monthly cap within this horizon (<c>spend.horizonMinutes</c>, default 60).</summary>
    public TimeSpan SpendHorizon { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Distinct numbers of one 100-number block texted in one hour (<c>pumping.distinctPerPrefix</c>, default 8).</summary>
    public int PumpingDistinctPerPrefix { get; init; } = 8;

    /// <summary>A run of adjacent numbers texted in one hour (<c>pumping.adjacentRun</c>, default 5).</summary>
    public int PumpingAdjacentRun { get; init; } = 5;

    /// <summary>Opt-out and fraud-block errors (21610, 30450, 30453) in one hour (<c>pumping.blockedErrors</c>, default 5).</summary>
    public long PumpingBlockedErrors { get; init; } = 5;

    /// <summary>Share of settled messages undelivered or failed, in percent (<c>undelivered.sharePercent</c>, default 50).</summary>
    public int UndeliveredSharePercent { get; init; } = 50;

    /// <summary>Settled messages an hour needs before its undelivered share counts (<c>undelivered.minSettled</c>, default 20).</summary>
    public long UndeliveredMinSettled { get; init; } = 20;

    /// <summary>Policy refusals of one caller in one hour (<c>refusals.perPeriod</c>, default 20).</summary>
    public long RefusalsPerPeriod { get; init; } = 20;

    /// <summary>Pending first-contact approvals (<c>approvals.maxPending</c>, default 25).</summary>
    public int MaxPendingApprovals { get; init; } = 25;

    /// <summary>The longest gap between two scans before the watchdog reports itself silent (<c>heartbeat.maxSilenceMinutes</c>, default 20).</summary>
    public TimeSpan MaxSilence { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Whether <paramref name="region"/> is high-cost: listed, or priced at or above the threshold.</summary>
    public bool IsHighCost(string region, Pricing.PriceList prices) =>
        HighCostCountries.Contains(region) || (prices.PerSegment.TryGetValue(region, out var price) && price >= HighCostPricePerSegment);
}
