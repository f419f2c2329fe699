namespace SmsMcp.Infrastructure.Alerts;

/// <summary>The webhook signing secret (Standard Webhooks format, <c>whsec_</c> + base64).</summary>
public interface IAlertSecretSource
{
    ValueTask<string> GetWebhookSecretAsync(CancellationToken cancellationToken);
}
