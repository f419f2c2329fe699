using System.Net;
using System.Text;
using StandardWebhooks;
using SmsMcp.Core.Watchdog.Alerts;

namespace SmsMcp.Infrastructure.Alerts;

/// <summary>
/// The generic signed webhook (Standard Webhooks: <c>webhook-id</c> = the alert id, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c> = HMAC-SHA256 over id.timestamp.body, signed by the <c>StandardWebhooks</c> package with the
/// secret from <see cref="IAlertSecretSource"/>). Retries network errors, 429 and 5xx with doubling backoff up to
/// <see cref="AlertChannelOptions.MaxAttempts"/>; any other 4xx stops, and 410 Gone means the endpoint is retired.
/// </summary>
public sealed class WebhookAlertChannel(HttpClient http, AlertChannelOptions options, IAlertSecretSource secrets, TimeProvider time) : IAlertChannel
{
    public string Name => "webhook";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var body = AlertPayload.From(alert).ToJson();
        var webhook = new StandardWebhook(await secrets.GetWebhookSecretAsync(cancellationToken));
        await HttpDelivery.PostAsync(http, options, time, () =>
        {
            var timestamp = time.GetUtcNow();
            var request = new HttpRequestMessage(HttpMethod.Post, options.WebhookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", alert.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", webhook.Sign(alert.Id, timestamp, body));
            return request;
        }, cancellationToken);
    }
}
