namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>An incident's two notices: it started, it ended.</summary>
public enum AlertKind
{
    Opened,
    Resolved,
}
