using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>
/// Sends every alert to every configured channel, and for each one writes a structured log event
/// (<see cref="AlertEventId"/>) and counts it on the <c>smsmcp.watchdog.alerts</c> metric (meter <see cref="MeterName"/>,
/// tags rule, kind, severity), which OpenTelemetry exporters pick up by meter name. A channel that fails is logged
/// (its name and the exception type, never the alert's text) and the others still get the alert.
/// </summary>
public sealed class AlertDispatcher
{
    public const string MeterName = "SmsMcp.Watchdog";

    /// <summary>The alerts counter, which the deployment's workbook charts by <c>rule</c>.</summary>
    public const string AlertsMetric = "smsmcp.watchdog.alerts";
    public static readonly EventId AlertEventId = new(7001, "WatchdogAlert");

    private readonly IReadOnlyList<IAlertChannel> _channels;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _failures;

    public AlertDispatcher(IEnumerable<IAlertChannel> channels, IMeterFactory meters, ILogger<AlertDispatcher> logger)
    {
        _channels = channels.ToList();
        _logger = logger;
        var meter = meters.Create(MeterName);
        _alerts = meter.CreateCounter<long>(AlertsMetric, description: "Watchdog alerts raised and resolved.");
        _failures = meter.CreateCounter<long>("smsmcp.watchdog.alert_delivery_failures", description: "Alerts a channel could not deliver.");
    }

    public IReadOnlyList<string> ChannelNames => _channels.Select(c => c.Name).ToList();

    public async Task DispatchAsync(Alert alert, CancellationToken cancellationToken)
    {
        var severity = alert.Critical ? "critical" : "warning";
        _alerts.Add(1, new("rule", alert.Rule), new("kind", alert.Kind.ToString().ToLowerInvariant()), new("severity", severity));
        _logger.Log(alert.Kind == AlertKind.Opened ? (alert.Critical ? LogLevel.Critical : LogLevel.Warning) : LogLevel.Information, AlertEventId,
            "Watchdog alert {AlertId}: {Kind} {Rule} for {Scope} ({Severity}, caller suspended: {CallerSuspended}). {Summary}",
            alert.Id, alert.Kind, alert.Rule, alert.Scope, severity, alert.CallerSuspended, alert.Summary);
        foreach (var channel in _channels)
        {
            try
            {
                await channel.SendAsync(alert, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures.Add(1, new KeyValuePair<string, object?>("channel", channel.Name));
                _logger.LogError("Watchdog alert {AlertId} could not be delivered to channel {Channel} ({ExceptionType}).", alert.Id, channel.Name, e.GetType().Name);
            }
        }
    }
}
