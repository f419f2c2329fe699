using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog;

namespace SmsMcp.Core.Tests.Telemetry;

/// <summary>The domain metrics, read with a <see cref="MeterListener"/> while the real pipeline sends and refuses.</summary>
public sealed partial class SmsMcpMetricsTests
{
    [Fact]
    public async Task SendsAndRefusals_CountedOncePerWalkWithReasonCodes()
    {
        await using var h = await PipelineHarness.CreateAsync();
        using var recorded = new RecordedMeasurements(h.MeterFactory);

        Assert.NotNull((await h.SendAsync("demo", "hello")).Result);
        Assert.NotNull((await h.SendAsync("+12025550142", "hello again")).Result);
        Assert.Equal(ReasonCodes.RecipientNotAllowed, (await h.SendAsync("+14155550000", "no")).Refusal?.Code);
        Assert.Equal(ReasonCodes.EmptyBody, (await h.SendAsync("demo", "")).Refusal?.Code);
        Assert.Equal(ReasonCodes.CallerNotPermitted, (await h.SendAsAsync(new CallerIdentity("stranger"), "demo", "hi")).Refusal?.Code);

        var sends = recorded.Of(SmsMcpMetrics.Sends);
        Assert.Equal(2, sends.Count);
        Assert.All(sends, m => Assert.Equal("dev", m.Tags["caller_id"]));
        var refusals = recorded.Of(SmsMcpMetrics.Refusals);
        Assert.Equal(
            [ReasonCodes.CallerNotPermitted, ReasonCodes.EmptyBody, ReasonCodes.RecipientNotAllowed],
            refusals.Select(m => (string)m.Tags["reason_code"]!).Order());
        Assert.Equal(SmsMcpMetrics.UnlistedCaller, Assert.Single(refusals, m => (string?)m.Tags["reason_code"] == ReasonCodes.CallerNotPermitted).Tags["caller_id"]);

        // Two one-segment US messages at the development policy's 0.0083 USD a segment.
        var spend = recorded.Of(SmsMcpMetrics.Spend);
        Assert.Equal(2, spend.Count);
        Assert.Equal(0.0166, spend.Sum(m => m.Value), 6);
        Assert.All(spend, m => Assert.Equal("USD", m.Tags["currency"]));
    }

    [Fact]
    public async Task DryRunReplayAndKillSwitch_NoSendCountedAndSuspensionsBySource()
    {
        await using var h = await PipelineHarness.CreateAsync();
        using var recorded = new RecordedMeasurements(h.MeterFactory);

        Assert.NotNull((await h.SendAsync("demo", "once", key: "k-1")).Result);
        Assert.True((await h.SendAsync("demo", "once", key: "k-1")).Result?.Replayed);
        await h.Controls.SetDryRunAsync("dev", engaged: true, "ops", CancellationToken.None);
        Assert.True((await h.SendAsync("demo", "dry")).Result?.DryRun);
        await h.Controls.SetDryRunAsync("dev", engaged: false, "ops", CancellationToken.None);

        await h.Controls.SetKillSwitchAsync("dev", engaged: true, AnomalyScan.Actor, CancellationToken.None);
        await h.Controls.SetKillSwitchAsync(null, engaged: true, "ops", CancellationToken.None);
        await h.Controls.SetKillSwitchAsync("someone +15551234567", engaged: true, "ops", CancellationToken.None);
        await h.Controls.SetKillSwitchAsync("dev", engaged: false, "ops", CancellationToken.None);
        Assert.Equal(ReasonCodes.SendingDisabled, (await h.SendAsync("demo", "stopped")).Refusal?.Code);

        Assert.Single(recorded.Of(SmsMcpMetrics.Sends));
        Assert.Equal(ReasonCodes.SendingDisabled, Assert.Single(recorded.Of(SmsMcpMetrics.Refusals)).Tags["reason_code"]);
        Assert.Equal(
            [("all", "operator"), ("dev", "watchdog"), (SmsMcpMetrics.UnlistedCaller, "operator")],
            recorded.Of(SmsMcpMetrics.Suspensions).Select(m => ((string)m.Tags["caller_id"]!, (string)m.Tags["source"]!)).Order());
    }

    [Fact]
    public async Task GeneratedRequests_NoTagCarriesNumbersOrBodies()
    {
        await using var h = await PipelineHarness.CreateAsync();
        using var recorded = new RecordedMeasurements(h.MeterFactory);
        var random = new Random(1307);
        var bodies = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var to = (i % 4) switch
            {
                0 => "demo",
                1 => $"+1202555{random.Next(100, 200):D4}",
                2 => $"+{random.NextInt64(10_000_000_000, 99_999_999_999)}",
                _ => $"alias-{random.Next(1000, 9999)}",
            };
            var body = i % 5 == 0 ? "" : $"code {random.Next(100_000, 999_999)} for {to}";
            bodies.Add(body);
            var caller = new CallerIdentity(i % 3 == 0 ? $"caller-{random.Next(10_000, 99_999)}" : "dev");
            await h.SendAsAsync(caller, to, body);
        }

        var tags = recorded.All.SelectMany(m => m.Tags.Values).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!).ToList();
        Assert.Equal(40, recorded.Of(SmsMcpMetrics.Sends).Count + recorded.Of(SmsMcpMetrics.Refusals).Count);
        Assert.Contains(recorded.All, m => m.Instrument == SmsMcpMetrics.Sends);
        Assert.Contains(recorded.All, m => m.Instrument == SmsMcpMetrics.Refusals);
        Assert.All(tags, tag =>
        {
            Assert.DoesNotMatch(DigitRun(), tag);
            Assert.DoesNotContain(bodies.Where(b => b.Length > 0), b => tag.Contains(b, StringComparison.Ordinal));
        });
    }

    // Four or more digits in a row: anything that could be part of a phone number or a one-time code.
    [GeneratedRegex(@"\d{4,}")]
    private static partial Regex DigitRun();

    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Every measurement of the meters one harness's factory made (other tests' harnesses run in parallel).</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measurement> _measurements = new();

        public RecordedMeasurements(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SmsMcpMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<Measurement> All => [.. _measurements];

        public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
    }
}
