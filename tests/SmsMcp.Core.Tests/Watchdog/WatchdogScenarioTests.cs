using SmsMcp.Core.Approvals;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Counters;
using Xunit.Abstractions;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// Each detector against its scenario on a week of ordinary history (detection delay printed), a month of ordinary
/// traffic that must raise nothing (false alarms printed per detector), and the incident rules: two scans of one
/// period alert once, a quiet incident resolves once after the cooldown, a critical finding suspends exactly its caller.
/// </summary>
public sealed class WatchdogScenarioTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Scenarios => new(WatchdogRule.All.Where(r => r != WatchdogRule.SpendCap));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_DetectorFiresWithinOnePeriodOfItsSignal(string rule)
    {
        await using var rig = await WatchdogRig.CreateAsync();
        // A week of ordinary traffic, scanned hourly so the watchdog knows the callers' regions.
        var onset = Start + TimeSpan.FromDays(8) + TimeSpan.FromHours(10); // a Tuesday, 10:00
        await SyntheticTraffic.WriteAsync(rig.Pipeline.Traffic, onset + TimeSpan.FromHours(3), (8 * 24) + 13, holiday: null, seed: 7);
        for (var at = onset - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(55); at < onset - TimeSpan.FromMinutes(55); at += TimeSpan.FromHours(1))
        {
            await rig.ScanAsync(at);
        }

        Assert.True(rig.Recorded.Alerts.Count == 0, string.Join("; ", rig.Recorded.Alerts.Select(a => a.Headline)));
        var scans = 0;
        DateTimeOffset? detected = null;
        for (var at = onset - TimeSpan.FromMinutes(50); detected is null && at < onset + TimeSpan.FromHours(3); at += TimeSpan.FromMinutes(5))
        {
            var hour = TrafficCounters.PeriodStart(at);
            if (rule == WatchdogRule.WatchdogSilent && at >= onset && at < onset + TimeSpan.FromHours(2))
            {
                continue; // the scan did not run for two hours
            }

            await Signal(rig, rule, hour, onset, at);
            scans++;
            var report = await rig.ScanAsync(at);
            if (report.Opened.Any(k => k.StartsWith(rule + "|", StringComparison.Ordinal)))
            {
                detected = at;
            }
        }

        Assert.NotNull(detected);
        var delay = detected.Value - onset;
        output.WriteLine($"{rule}: detected {delay.TotalMinutes:0} min after onset");
        Assert.True(delay <= (rule == WatchdogRule.VolumeSpike ? TimeSpan.FromMinutes(65) : rule == WatchdogRule.WatchdogSilent ? TimeSpan.FromMinutes(125) : TimeSpan.FromMinutes(5)), $"{rule} took {delay}");
        // Nothing else fires, except that a high-cost region is also a region the caller never used.
        Assert.All(rig.Recorded.Alerts, a => Assert.Contains(a.Rule, rule == WatchdogRule.HighCostCountry ? [rule, WatchdogRule.NewCountry] : new[] { rule }));
    }

    private static async Task Signal(WatchdogRig rig, string rule, DateTimeOffset hour, DateTimeOffset onset, DateTimeOffset at)
    {
        if (hour < onset)
        {
            return;
        }

        var bucket = await rig.Pipeline.Traffic.ReadAsync("a", hour, CancellationToken.None);
        switch (rule)
        {
            case WatchdogRule.VolumeSpike:
                bucket.Sent = 2000;
                break;
            case WatchdogRule.NewCountry:
                bucket.Countries["MX"] = 3;
                break;
            case WatchdogRule.HighCostCountry:
                bucket.Countries["LV"] = 1;
                break;
            case WatchdogRule.SmsPumping:
                for (var ending = 40; ending < 50; ending++)
                {
                    bucket.AddPrefix("p_pumped", ending);
                }

                break;
            case WatchdogRule.UndeliveredRise:
                bucket.Undelivered = bucket.Delivered + 10;
                break;
            case WatchdogRule.RefusalSpike:
                bucket.Refusals["country_not_allowed"] = 40;
                break;
            case WatchdogRule.ApprovalQueue when at == onset:
                for (var i = 0; i < 25; i++)
                {
                    await rig.Pipeline.ApprovalStore.CreateAsync(new PendingApproval(Messages.MessageStore.NewMessageId(at), "a", "+12025550123", "hi", at, at + TimeSpan.FromDays(1), ApprovalState.Pending), CancellationToken.None);
                }

                return;
            default:
                return;
        }

        await rig.Pipeline.Traffic.WriteAsync("a", hour, bucket, CancellationToken.None);
    }

    [Fact]
    public async Task MonthOfOrdinaryTraffic_RaisesNoAlert()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var end = Start + TimeSpan.FromDays(30);
        await SyntheticTraffic.WriteAsync(rig.Pipeline.Traffic, end, 30 * 24, holiday: DateOnly.FromDateTime(Start.AddDays(24).UtcDateTime), seed: 2026);

        var falseAlarms = WatchdogRule.All.ToDictionary(r => r, _ => 0);
        for (var at = Start + TimeSpan.FromMinutes(55); at < end; at += TimeSpan.FromHours(1))
        {
            foreach (var key in (await rig.ScanAsync(at)).Opened)
            {
                falseAlarms[key[..key.IndexOf('|', StringComparison.Ordinal)]]++;
            }
        }

        output.WriteLine("False alarms over 30 days × 3 callers: " + string.Join(", ", falseAlarms.Select(p => $"{p.Key}={p.Value}")));
        Assert.All(falseAlarms, p => Assert.Equal(0, p.Value));
    }

    [Fact]
    public async Task TwoConcurrentScansOfOnePeriod_OneSetOfAlerts_AndOneResolutionAfterTheCooldown()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var hour = Start + TimeSpan.FromHours(10);
        var bucket = new TrafficBucket { Sent = 10, Attempts = 35 };
        bucket.Countries["LV"] = 1;
        bucket.Refusals["url_not_allowed"] = 25;
        await rig.Pipeline.Traffic.WriteAsync("other", hour, bucket, CancellationToken.None);

        var at = hour + TimeSpan.FromMinutes(5);
        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => rig.ScanAsync(at))));
        await rig.ScanAsync(at); // a retry after they all finished

        var opened = rig.Recorded.Alerts.Where(a => a.Kind == AlertKind.Opened).ToList();
        Assert.Equal(2, opened.Count);
        Assert.Equal([WatchdogRule.HighCostCountry, WatchdogRule.RefusalSpike], opened.Select(a => a.Rule).Order(StringComparer.Ordinal));
        Assert.Equal(opened.Count, opened.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["other"], reports.SelectMany(r => r.Suspended));

        // Still seen at 10:50; the hour passes; within the cooldown (60 min after last seen) nothing resolves, after it
        // exactly one notice per incident, however many scans race for it.
        await rig.ScanAsync(hour + TimeSpan.FromMinutes(50));
        await rig.ScanAsync(hour + TimeSpan.FromMinutes(105));
        Assert.DoesNotContain(rig.Recorded.Alerts, a => a.Kind == AlertKind.Resolved);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => rig.ScanAsync(hour + TimeSpan.FromMinutes(115)))));
        var resolved = rig.Recorded.Alerts.Where(a => a.Kind == AlertKind.Resolved).ToList();
        Assert.Equal(2, resolved.Count);
        Assert.True(resolved.Single(a => a.Rule == WatchdogRule.HighCostCountry).CallerSuspended);
    }

    [Fact]
    public async Task PumpingThroughThePipeline_SuspendsExactlyThatCaller_NextSendRefused_AndAudited()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var pumper = new Callers.CallerIdentity("dev");
        var bystander = new Callers.CallerIdentity("other");
        for (var ending = 100; ending < 110; ending++)
        {
            Assert.Null((await rig.Pipeline.SendAsAsync(pumper, $"+120255501{ending % 100:d2}", "hello")).Refusal);
        }

        Assert.Null((await rig.Pipeline.SendAsAsync(bystander, "demo", "hello")).Refusal);
        var at = rig.Pipeline.Time.GetUtcNow() + TimeSpan.FromMinutes(1);
        var report = await rig.ScanAsync(at);

        Assert.Equal(["dev"], report.Suspended);
        var alert = Assert.Single(rig.Recorded.Alerts, a => a.Rule == WatchdogRule.SmsPumping);
        Assert.True(alert is { Critical: true, CallerSuspended: true, CallerId: "dev" });
        Assert.DoesNotContain("+1202", alert.Headline + string.Join(' ', alert.Facts.Values), StringComparison.Ordinal);
        Assert.Equal(ReasonCodes.SendingDisabled, (await rig.Pipeline.SendAsAsync(pumper, "demo", "again")).Refusal?.Code);
        Assert.Null((await rig.Pipeline.SendAsAsync(bystander, "demo", "still fine")).Refusal);
        var engaged = Assert.Single(await rig.Pipeline.AuditAsync(), r => r.Tool == RuntimeControls.KillSwitchTool);
        Assert.Equal((AnomalyScan.Actor, RuntimeControls.KillSwitchEngaged, "caller:dev"), (engaged.CallerId, engaged.ReasonCode, engaged.MessageId));
        Assert.Equal((true, AnomalyScan.Actor), ((await rig.Pipeline.Controls.GetKillSwitchAsync("dev", CancellationToken.None)).Engaged, (await rig.Pipeline.Controls.GetKillSwitchAsync("dev", CancellationToken.None)).ChangedBy));
    }

    [Fact]
    public async Task SpendRateThroughThePipeline_WouldCrossTheDailyCap_FiresAndSuspends()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var caller = new Callers.CallerIdentity("other");
        // 4 × 0.0083 spent in a minute: at that rate the 0.05 daily cap falls within the hour.
        for (var i = 0; i < 4; i++)
        {
            Assert.Null((await rig.Pipeline.SendAsAsync(caller, "demo", "hello")).Refusal);
        }

        var report = await rig.ScanAsync(rig.Pipeline.Time.GetUtcNow() + TimeSpan.FromMinutes(1));

        var alert = Assert.Single(rig.Recorded.Alerts);
        Assert.Equal((WatchdogRule.SpendCap, "other", true), (alert.Rule, alert.CallerId, alert.CallerSuspended));
        Assert.Equal(["other"], report.Suspended);
    }

    [Fact]
    public async Task SendPath_CountsEachAttemptOnce_ByOutcome()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var caller = new Callers.CallerIdentity("dev");
        await rig.Pipeline.SendAsAsync(caller, "demo", "hello");
        await rig.Pipeline.SendAsAsync(caller, "+12025550142", "hello");
        await rig.Pipeline.SendAsAsync(caller, "+447700900123", "hello");

        var bucket = await rig.Pipeline.Traffic.ReadAsync("dev", rig.Pipeline.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal((3L, 2L, 1L), (bucket.Attempts, bucket.Sent, bucket.Refused));
        Assert.Equal(2, bucket.Countries["US"]);
        Assert.Equal(2 * 8300, bucket.SpendMicros);
        var block = Assert.Single(bucket.Prefixes);
        Assert.Equal((2, 1), (block.Value.DistinctNumbers, block.Value.LongestRun));
        Assert.StartsWith("p_", block.Key, StringComparison.Ordinal);
    }
}
