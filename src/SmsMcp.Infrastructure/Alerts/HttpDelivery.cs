using System.Net;

namespace SmsMcp.Infrastructure.Alerts;

/// <summary>POST with bounded retries: network errors, 408, 429 and 5xx are retried after a doubling backoff; other answers are final.</summary>
internal static class HttpDelivery
{
    public static async Task PostAsync(HttpClient http, AlertChannelOptions options, TimeProvider time, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var delay = options.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode? status = null;
            try
            {
                using var message = request();
                using var response = await http.SendAsync(message, cancellationToken);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (status == HttpStatusCode.Gone)
                {
                    throw new AlertChannelException("The alert endpoint answered 410 Gone: it is retired, and nothing more is sent to it until the configuration changes.");
                }

                if (!IsTransient(status.Value))
                {
                    throw new AlertChannelException($"The alert endpoint refused the alert ({(int)status.Value}).");
                }
            }
            catch (HttpRequestException) when (attempt < options.MaxAttempts)
            {
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new AlertChannelException($"The alert endpoint did not accept the alert after {attempt} attempts (last answer {(status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}).");
            }

            await Task.Delay(delay, time, cancellationToken);
            delay += delay;
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
