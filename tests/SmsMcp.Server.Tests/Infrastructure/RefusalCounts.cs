using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// Where a refusal is counted besides the audit trail: the watchdog's traffic bucket of the caller's hour and the
/// <c>smsmcp.refusals</c> metric of this app's own meter factory (other factories run in parallel). Started before the
/// call under test; <see cref="CountedAsync"/> says how many refusals of a reason code the call added to each.
/// </summary>
public sealed class RefusalCounts : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string? Caller, string? Reason)> _metric = new();
    private readonly DateTimeOffset _periodBefore;
    private readonly IReadOnlyDictionary<string, TrafficBucket> _bucketsBefore;

    private RefusalCounts(IServiceProvider services, DateTimeOffset periodBefore, IReadOnlyDictionary<string, TrafficBucket> bucketsBefore)
    {
        _services = services;
        _periodBefore = periodBefore;
        _bucketsBefore = bucketsBefore;
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SmsMcpMetrics.MeterName && instrument.Name == SmsMcpMetrics.Refusals && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? caller = null, reason = null;
            foreach (var tag in tags)
            {
                caller = tag.Key == "caller_id" ? tag.Value as string : caller;
                reason = tag.Key == "reason_code" ? tag.Value as string : reason;
            }

            _metric.Enqueue((caller, reason));
        });
        _listener.Start();
    }

    public static async Task<RefusalCounts> StartAsync(IServiceProvider services)
    {
        var period = TrafficCounters.PeriodStart(DateTimeOffset.UtcNow);
        var buckets = await services.GetRequiredService<TrafficCounters>().ReadPeriodAsync(period, CancellationToken.None);
        return new RefusalCounts(services, period, buckets);
    }

    /// <summary>Refusals of <paramref name="reasonCode"/> for <paramref name="callerId"/> added since the start, in the watchdog bucket of the hour of <paramref name="at"/> and in the metric.</summary>
    public async Task<(long Bucket, long Attempts, int Metric)> CountedAsync(string callerId, string reasonCode, DateTimeOffset at)
    {
        var period = TrafficCounters.PeriodStart(at);
        var after = await _services.GetRequiredService<TrafficCounters>().ReadAsync(callerId, period, CancellationToken.None);
        // An hour that began during the call started from nothing.
        var before = period == _periodBefore ? _bucketsBefore.GetValueOrDefault(callerId) : null;
        return (
            after.Refusals.GetValueOrDefault(reasonCode) - (before?.Refusals.GetValueOrDefault(reasonCode) ?? 0),
            after.Attempts - (before?.Attempts ?? 0),
            _metric.Count(m => m.Caller == callerId && m.Reason == reasonCode));
    }

    public void Dispose() => _listener.Dispose();
}
