using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>The policy's <c>watchdog</c> section: defaults untouched, every field validated with its path in the error.</summary>
public sealed class WatchdogPolicyTests
{
    private const string Base = """
        "recipients": { "oncall": { "number": "+12025550199" } },
        "profiles": { "p": { "allow": { "recipients": ["oncall"] }, "countries": ["US"] } },
        "callers": { "c": "p" }
        """;

    private static (SendPolicy? Policy, IReadOnlyList<string> Errors) Parse(string watchdog) =>
        (PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes($"{{{Base}{(watchdog.Length > 0 ? ", \"watchdog\": " + watchdog : "")}}}"), PipelineHarness.Shorteners, out var errors), errors);

    [Fact]
    public void NoSection_DefaultsApply()
    {
        var (policy, errors) = Parse("");
        Assert.Empty(errors);
        Assert.Equal(WatchdogRules.Default, policy!.Watchdog);
        Assert.Equal([WatchdogRule.HighCostCountry, WatchdogRule.SmsPumping, WatchdogRule.SpendCap], policy.Watchdog.Critical.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryField_IsRead()
    {
        var (policy, errors) = Parse("""
            { "critical": ["sms_pumping"], "cooldownMinutes": 30, "onCall": { "aliases": ["oncall"], "maxPerDay": 5 },
              "volume": { "floor": 10, "ratio": 4, "madMultiplier": 3, "baselineDays": 14, "confirm": 1, "window": 2 },
              "countries": { "alertOnNew": false, "highCost": ["LV"], "highCostPricePerSegment": 0.3 }, "spend": { "horizonMinutes": 30 },
              "pumping": { "distinctPerPrefix": 6, "adjacentRun": 4, "blockedErrors": 3 }, "undelivered": { "sharePercent": 40, "minSettled": 10 },
              "refusals": { "perPeriod": 9 }, "approvals": { "maxPending": 7 }, "heartbeat": { "maxSilenceMinutes": 15 } }
            """);
        Assert.Empty(errors);
        var w = policy!.Watchdog;
        Assert.Equal((TimeSpan.FromMinutes(30), "oncall", 5L, 10L, 4L, 3L, 14, 1, 2), (w.Cooldown, w.OnCallAliases.Single(), w.OnCallMaxPerDay, w.VolumeFloor, w.VolumeRatio, w.VolumeMadMultiplier, w.VolumeBaselineDays, w.VolumeConfirm, w.VolumeWindow));
        Assert.Equal((false, "LV", 0.3m, TimeSpan.FromMinutes(30), 6, 4, 3L), (w.AlertOnNewCountry, w.HighCostCountries.Single(), w.HighCostPricePerSegment, w.SpendHorizon, w.PumpingDistinctPerPrefix, w.PumpingAdjacentRun, w.PumpingBlockedErrors));
        Assert.Equal((40, 10L, 9L, 7, TimeSpan.FromMinutes(15), "sms_pumping"), (w.UndeliveredSharePercent, w.UndeliveredMinSettled, w.RefusalsPerPeriod, w.MaxPendingApprovals, w.MaxSilence, w.Critical.Single()));
    }

    [Theory]
    [InlineData("""{ "critical": ["everything"] }""", "watchdog.critical[0]: 'everything' is not a watchdog rule")]
    [InlineData("""{ "cooldownMinutes": 0 }""", "watchdog.cooldownMinutes: must be an integer from 5")]
    [InlineData("""{ "onCall": { "aliases": ["nobody"] } }""", "watchdog.onCall.aliases[0]: 'nobody' is not in recipients.")]
    [InlineData("""{ "volume": { "confirm": 3, "window": 2 } }""", "watchdog.volume.confirm: must not be greater than window.")]
    [InlineData("""{ "volume": { "floor": -1 } }""", "watchdog.volume.floor: must be an integer from 1")]
    [InlineData("""{ "countries": { "highCost": ["XX"] } }""", "watchdog.countries.highCost[0]")]
    [InlineData("""{ "countries": { "alertOnNew": "yes" } }""", "watchdog.countries.alertOnNew: must be true or false.")]
    [InlineData("""{ "pumping": { "adjacentRun": 1 } }""", "watchdog.pumping.adjacentRun: must be an integer from 2")]
    [InlineData("""{ "undelivered": { "sharePercent": 101 } }""", "watchdog.undelivered.sharePercent: must be an integer from 1 to 100.")]
    [InlineData("""{ "heartbeat": { "maxSilence": 5 } }""", "watchdog.heartbeat")]
    [InlineData("""{ "volum": {} }""", "watchdog")]
    [InlineData("""[]""", "watchdog")]
    public void BadField_ErrorNamesItsPath_AndNoPolicy(string watchdog, string expected)
    {
        var (policy, errors) = Parse(watchdog);
        Assert.Null(policy);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
