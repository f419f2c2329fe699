namespace SmsMcp.Infrastructure.Alerts;

/// <summary>An alert a channel could not deliver. The message names the HTTP status only, never the alert or a secret.</summary>
public sealed class AlertChannelException : Exception
{
    public AlertChannelException()
    {
    }

    public AlertChannelException(string message)
        : base(message)
    {
    }

    public AlertChannelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
