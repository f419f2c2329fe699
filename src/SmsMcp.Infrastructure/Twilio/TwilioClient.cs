using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Sending;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The few Twilio REST calls we use (the Twilio SDK is not served here): create and fetch a message, Lookup v2.
/// Checked against Twilio's OpenAPI description in the tests.
/// </summary>
/// <remarks>
/// Retries: a create is repeated only when Twilio certainly did not act on it — an HTTP 429 / error 20429, or a
/// connection that was never made (DNS, refused, TLS, connect timeout). A timeout, 5xx or connection loss after the
/// request went out is reported as <see cref="TwilioRequestException.MayHaveReachedTwilio"/> and never repeated.
/// Reads (fetch, Lookup) are safe to repeat and are also retried after 5xx and timeouts. Delays grow exponentially
/// with jitter, bounded by <see cref="TwilioOptions.MaxRetryDelay"/>, and run on the injected <see cref="TimeProvider"/>.
/// Nothing logged or thrown carries a URL, a number, a body or a credential.
/// Credentials come from <see cref="ITwilioCredentialSource"/>. An HTTP 401 is answered before Twilio acts on a request, so
/// after one the source is asked once for a newer credential (a rotation) and the request is repeated once with it; that
/// repeat does not count against <see cref="TwilioOptions.MaxAttempts"/>. No credential → nothing is sent.
/// </remarks>
public sealed class TwilioClient(
    IHttpClientFactory httpClientFactory, IOptions<TwilioOptions> options, ITwilioCredentialSource credentials, TimeProvider time, ILogger<TwilioClient> logger)
{
    /// <summary>Named client for creates: connections are never reused (see <see cref="TwilioServiceCollectionExtensions"/>).</summary>
    public const string SendClientName = "SmsMcp.Twilio.Send";

    /// <summary>Named client for reads (fetch, Lookup).</summary>
    public const string ReadClientName = "SmsMcp.Twilio.Read";

    /// <summary>The query parameter of the status callback URL that carries our message id.</summary>
    public const string StatusCallbackMessageIdParameter = "mid";

    private const string LookupFields = "line_type_intelligence,sms_pumping_risk";

    private readonly TwilioOptions _options = options.Value;

    /// <summary>
    /// Creates one message. Throws <see cref="TwilioRequestException"/> when it was not created or may have been. With a
    /// status callback configured, our <paramref name="messageId"/> rides in its query (<see cref="StatusCallbackFor"/>).
    /// </summary>
    public async Task<TwilioMessage> CreateMessageAsync(PhoneNumber to, string body, string messageId, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("To", to.E164) };
        fields.Add(_options.MessagingServiceSid is { Length: > 0 } service ? new("MessagingServiceSid", service) : new("From", _options.From!));
        fields.Add(new("Body", body));
        if (_options.StatusCallbackUrl is { Length: > 0 } callback)
        {
            fields.Add(new("StatusCallback", StatusCallbackFor(callback, messageId)));
        }

        var uri = new Uri($"{_options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid!)}/Messages.json");
        using var document = await SendAsync("create message", SendClientName, idempotent: false,
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) }, cancellationToken);
        try
        {
            return ReadMessage(document.RootElement);
        }
        catch (JsonException e)
        {
            // Twilio said "created" but we cannot read which message: it exists, so it must not be sent again.
            throw Failure("create message", "create message: Twilio's answer has no message sid.", ReasonCodes.ProviderFailed, true, null, null, e);
        }
    }

    /// <summary>
    /// The status callback URL for one message: the configured URL with <c>mid={messageId}</c> added to its query. Twilio
    /// signs the URL it calls, query included, so the message id in a callback that passes the signature check is the one
    /// we gave Twilio for that message.
    /// </summary>
    public static string StatusCallbackFor(string callbackUrl, string messageId) =>
        callbackUrl + (callbackUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + StatusCallbackMessageIdParameter + "=" + Uri.EscapeDataString(messageId);

    /// <summary>Fetches one message by its Twilio SID (<c>SM…</c> or <c>MM…</c>), for reconciliation.</summary>
    public async Task<TwilioMessage> FetchMessageAsync(string sid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sid);
        var uri = new Uri($"{_options.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid!)}/Messages/{Uri.EscapeDataString(sid)}.json");
        using var document = await SendAsync("fetch message", ReadClientName, idempotent: true, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        return ReadMessage(document.RootElement);
    }

    /// <summary>Lookup v2 with line type intelligence and SMS pumping risk.</summary>
    public async Task<TwilioLookupResult> LookupAsync(PhoneNumber number, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{_options.LookupBaseUrl.TrimEnd('/')}/v2/PhoneNumbers/{Uri.EscapeDataString(number.E164)}?Fields={LookupFields}");
        using var document = await SendAsync("lookup", ReadClientName, idempotent: true, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken);
        var root = document.RootElement;
        string? lineType = null;
        if (root.TryGetProperty("line_type_intelligence", out var lti) && lti.ValueKind == JsonValueKind.Object
            && lti.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            lineType = type.GetString();
        }

        int? score = null;
        if (root.TryGetProperty("sms_pumping_risk", out var risk) && risk.ValueKind == JsonValueKind.Object
            && risk.TryGetProperty("sms_pumping_risk_score", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var value))
        {
            score = value;
        }

        var valid = root.TryGetProperty("valid", out var v) && v.ValueKind == JsonValueKind.True;
        return new TwilioLookupResult(valid, lineType, score);
    }

    private static TwilioMessage ReadMessage(JsonElement root)
    {
        var sid = root.TryGetProperty("sid", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var status = root.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String ? st.GetString() : null;
        int? errorCode = root.TryGetProperty("error_code", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var code) ? code : null;
        var to = root.TryGetProperty("to", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(status))
        {
            throw new JsonException("The Twilio message resource has no sid or status.");
        }

        return new TwilioMessage(sid, status, errorCode, to);
    }

    private async Task<JsonDocument> SendAsync(string operation, string clientName, bool idempotent, Func<HttpRequestMessage> newRequest, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(clientName);
        var credential = await CredentialAsync(operation, credentials.GetAsync, cancellationToken);
        var credentialRefreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= _options.MaxAttempts;
            using var request = newRequest();
            request.Headers.Authorization = credential.ToAuthorizationHeader();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            }
            catch (Exception e) when (NeverSent(e, cancellationToken, timeout.Token))
            {
                if (last)
                {
                    throw Failure(operation, $"{operation}: could not connect to Twilio after {attempt} attempts.", ReasonCodes.ProviderFailed, false, null, null, e);
                }

                logger.LogWarning("Twilio {Operation} attempt {Attempt}: no connection ({Error}); retrying.", operation, attempt, Describe(e));
                await DelayAsync(attempt, null, cancellationToken);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                // The request may have been written: Twilio may have acted on it without us hearing back.
                var timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                if (cancellationToken.IsCancellationRequested && idempotent)
                {
                    throw;
                }

                if (!idempotent || last)
                {
                    var what = timedOut ? "timed out" : cancellationToken.IsCancellationRequested ? "was cancelled" : "lost the connection";
                    throw Failure(operation, $"{operation}: the request {what} after it may have reached Twilio.", ReasonCodes.ProviderFailed, true, null, null, e);
                }

                logger.LogWarning("Twilio {Operation} attempt {Attempt}: {Error}; retrying (safe to repeat).", operation, attempt, timedOut ? "timed out" : Describe(e));
                await DelayAsync(attempt, null, cancellationToken);
                continue;
            }

            using (response)
            {
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                        var document = JsonDocument.Parse(bytes);
                        if (document.RootElement.ValueKind != JsonValueKind.Object)
                        {
                            // Every resource we read is an object; anything else must not escape as a non-provider error.
                            document.Dispose();
                            throw new JsonException("Twilio's answer is not a JSON object.");
                        }

                        return document;
                    }
                    catch (JsonException e)
                    {
                        // Twilio said yes but we cannot read the resource: for a create that means "sent, id unknown".
                        throw Failure(operation, $"{operation}: Twilio answered HTTP {(int)status} with an unreadable body.", ReasonCodes.ProviderFailed, true, status, null, e);
                    }
                }

                var code = await ReadErrorCodeAsync(response, cancellationToken);
                if (status == HttpStatusCode.Unauthorized && !credentialRefreshed)
                {
                    // Only a 401 qualifies: Twilio authenticates before it creates anything, so nothing was sent.
                    credentialRefreshed = true;
                    var rejected = credential;
                    if (await CredentialAsync(operation, ct => credentials.RefreshAsync(rejected, ct), cancellationToken) is { } renewed)
                    {
                        logger.LogWarning("Twilio {Operation} attempt {Attempt}: credential rejected (error {TwilioError}); retrying once with a renewed credential.", operation, attempt, code);
                        credential = renewed;
                        attempt--; // the repeat with a new credential must not use up a retry of MaxAttempts
                        continue;
                    }
                }

                var rateLimited = status == HttpStatusCode.TooManyRequests || code == TwilioErrorCodes.TooManyRequests;
                var serverError = (int)status >= 500;
                if (rateLimited || (serverError && idempotent))
                {
                    if (!last)
                    {
                        logger.LogWarning("Twilio {Operation} attempt {Attempt}: HTTP {Status}, error {TwilioError}; retrying.", operation, attempt, (int)status, code);
                        await DelayAsync(attempt, response.Headers.RetryAfter, cancellationToken);
                        continue;
                    }
                }

                if (serverError)
                {
                    // A 5xx says nothing about whether the message was created: never repeat a create after one.
                    throw Failure(operation, $"{operation}: Twilio answered HTTP {(int)status}; the outcome is unknown.", ReasonCodes.ProviderFailed, !idempotent, status, code, null);
                }

                var reason = rateLimited
                    ? ReasonCodes.ProviderRateLimited
                    : status == HttpStatusCode.Unauthorized ? ReasonCodes.ProviderCredentials : TwilioErrorCodes.ToReasonCode(code);
                throw Failure(operation, $"{operation}: Twilio answered HTTP {(int)status}, error {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}.", reason, false, status, code, null);
            }
        }
    }

    private TwilioRequestException Failure(string operation, string message, string reason, bool mayHaveReached, HttpStatusCode? status, int? code, Exception? inner)
    {
        logger.LogWarning("Twilio {Operation} failed: {Reason} (HTTP {Status}, error {TwilioError}, may have reached Twilio: {MayHaveReached}).",
            operation, reason, status is null ? null : (int)status, code, mayHaveReached);

        // The inner exception is dropped on purpose: HttpClient's messages can carry the request URL, and a Lookup
        // URL holds the phone number. Its type and error category are kept in the message instead.
        var detail = inner is null ? "" : $" ({Describe(inner)})";
        return new TwilioRequestException(message + detail, reason, mayHaveReached);
    }

    /// <summary>True only when the request certainly never left this machine.</summary>
    private static bool NeverSent(Exception e, CancellationToken caller, CancellationToken attemptTimeout) => e switch
    {
        HttpRequestException h => h.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,

        // SocketsHttpHandler reports its ConnectTimeout as a cancellation wrapping a TimeoutException while neither
        // the caller nor our per-attempt timeout fired: the connection was never made.
        OperationCanceledException { InnerException: TimeoutException } => !caller.IsCancellationRequested && !attemptTimeout.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception e) => e is HttpRequestException h ? $"{e.GetType().Name}/{h.HttpRequestError}" : e.GetType().Name;

    private async Task DelayAsync(int attempt, RetryConditionHeaderValue? retryAfter, CancellationToken cancellationToken)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.5 + (Random.Shared.NextDouble() / 2));
        var requested = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
        var delay = TimeSpan.FromTicks(Math.Min(Math.Max(jittered.Ticks, requested.Ticks), _options.MaxRetryDelay.Ticks));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static async Task<int?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<T> CredentialAsync<T>(string operation, Func<CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken);
        }
        catch (TwilioCredentialUnavailableException e)
        {
            // Certainly nothing sent: the request was never made. The source's message names no secret value.
            throw Failure(operation, $"{operation}: {e.Message}", ReasonCodes.ProviderCredentials, false, null, null, null);
        }
    }
}
