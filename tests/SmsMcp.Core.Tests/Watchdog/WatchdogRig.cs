using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// The real scan on the real pipeline's SQLite store: counters, detectors, incidents, kill switch and audit as the
/// server composes them, with a recording channel (plus any a test adds) in place of remote alert channels.
/// </summary>
internal sealed class WatchdogRig : IAsyncDisposable
{
    public const string PolicyJson = """
    {
      "recipients": { "oncall": { "number": "+12025550199" }, "demo": { "number": "+12025550123" } },
      "profiles": {
        "agents": {
          "allow": { "recipients": ["demo"], "patterns": ["+1NXX55501XX"] },
          "countries": ["US", "CA"],
          "quotas": { "spendPerDay": 1, "messagesPerDay": 1000 }
        },
        "capped": {
          "allow": { "recipients": ["demo"] },
          "countries": ["US"],
          "quotas": { "spendPerDay": 0.05 }
        }
      },
      "callers": { "dev": "agents", "other": "capped" },
      "pricing": { "currency": "USD", "perSegment": { "US": 0.0083, "CA": 0.0083 } },
      "watchdog": { "onCall": { "aliases": ["oncall"], "maxPerDay": 3 }, "countries": { "highCost": ["LV"] }, "heartbeat": { "maxSilenceMinutes": 120 } }
    }
    """;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IAlertChannel[] _channels;

    private WatchdogRig(PipelineHarness pipeline, SendPolicy policy, IAlertChannel[] channels)
    {
        Pipeline = pipeline;
        Policy = policy;
        _channels = channels;
        State = new WatchdogState(pipeline.Store);
        Incidents = new IncidentStore(pipeline.Store);
    }

    public PipelineHarness Pipeline { get; }
    public SendPolicy Policy { get; }
    public WatchdogState State { get; }
    public IncidentStore Incidents { get; }
    public RecordingChannel Recorded { get; } = new();
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public static SendPolicy DefaultPolicy() => PipelineHarness.ParsePolicy(PolicyJson);

    public static async Task<WatchdogRig> CreateAsync(SendPolicy? policy = null, params IAlertChannel[] channels)
    {
        policy ??= DefaultPolicy();
        return new WatchdogRig(await PipelineHarness.CreateAsync(policy: policy), policy, channels);
    }

    /// <summary>A scan as one server instance composes it (each call: a separate instance on the same store).</summary>
    public AnomalyScan NewScan() => new(
        new ScanReader(Pipeline.Traffic, State, Pipeline.ApprovalStore, Pipeline.Quotas, Policy),
        [new VolumeDetector(), new CountryDetector(), new SpendDetector(), new PumpingDetector(), new RefusalDetector(), new OperationsDetector()],
        Incidents, State, Pipeline.Controls,
        new AlertDispatcher([Recorded, .. _channels], _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NullLogger<AlertDispatcher>.Instance),
        NullLogger<AnomalyScan>.Instance);

    public Task<ScanReport> ScanAsync(DateTimeOffset at) => NewScan().RunAsync(at, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}

/// <summary>A channel that keeps every alert it is given.</summary>
internal sealed class RecordingChannel : IAlertChannel
{
    private readonly ConcurrentQueue<Alert> _alerts = new();

    public string Name => "recording";

    public IReadOnlyList<Alert> Alerts => [.. _alerts];

    public Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        _alerts.Enqueue(alert);
        return Task.CompletedTask;
    }
}
