namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>
/// Where alerts go (a signed webhook, Teams, Slack, on-call SMS, a local file). Implementations are adapters; they
/// throw when the alert could not be delivered, and the dispatcher logs it and carries on with the other channels.
/// </summary>
public interface IAlertChannel
{
    /// <summary>A short name for logs and metrics ("webhook", "teams", ...).</summary>
    string Name { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}
