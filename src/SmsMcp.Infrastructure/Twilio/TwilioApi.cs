using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Vocabulary;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Lookups = Twilio.Rest.Lookups.V2;
using SdkPhoneNumber = Twilio.Types.PhoneNumber;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The Twilio calls we make, through the Twilio SDK: create and fetch a message (<see cref="MessageResource"/>) and Lookup
/// v2 (<see cref="Lookups.PhoneNumberResource"/>). What the SDK does not do is here: the retry rules, the credential from
/// <see cref="ITwilioCredentialSource"/> and the mapping of failures onto "certainly not sent" / "may have been sent".
/// </summary>
/// <remarks>
/// The SDK repeats nothing by itself (<see cref="TwilioRestClient"/> makes one HTTP call per request and turns failures
/// into exceptions) and its HTTP layer is ours (<see cref="TwilioHttpTransport"/>, one per attempt). A create is repeated
/// only when Twilio certainly did not act on it — an HTTP 429 / error 20429, or a connection that was never made (DNS,
/// refused, TLS, connect timeout). A timeout, 5xx or connection loss after the request went out is reported as
/// <see cref="TwilioRequestException.MayHaveReachedTwilio"/> and never repeated. Reads (fetch, Lookup) are safe to repeat
/// and are also retried after 5xx and timeouts. Delays grow exponentially with jitter, bounded by
/// <see cref="TwilioOptions.MaxRetryDelay"/>, and run on the injected <see cref="TimeProvider"/>.
/// Nothing logged or thrown carries a URL, a number, a body, Twilio's error text or a credential: the SDK's exception
/// messages hold the request URL (a Lookup URL holds the number) or Twilio's answer, so only their types, HTTP status and
/// Twilio error code are used.
/// An HTTP 401 is answered before Twilio acts on a request, so after one the source is asked once for a newer credential
/// (a rotation) and the request is repeated once with it; that repeat does not count against
/// <see cref="TwilioOptions.MaxAttempts"/>. No credential → nothing is sent. A <see cref="TwilioRestClient"/> is built per
/// attempt for that attempt's credential (it only holds fields): the SDK's static <c>TwilioApi.Init</c> is never used.
/// </remarks>
public sealed partial class TwilioApi(
    IHttpClientFactory httpClientFactory, IOptions<TwilioOptions> options, ITwilioCredentialSource credentials, TimeProvider time, ILogger<TwilioApi> logger)
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
        var create = new CreateMessageOptions(new SdkPhoneNumber(to.E164)) { Body = body };
        if (_options.MessagingServiceSid is { Length: > 0 } service)
        {
            create.MessagingServiceSid = service;
        }
        else
        {
            create.From = new SdkPhoneNumber(_options.From!);
        }

        if (_options.StatusCallbackUrl is { Length: > 0 } callback)
        {
            create.StatusCallback = new Uri(StatusCallbackFor(callback, messageId));
        }

        var created = await SendAsync("create message", SendClientName, idempotent: false, client => MessageResource.CreateAsync(create, client), cancellationToken);
        return ReadMessage("create message", created);
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
        if (!MessageSid().IsMatch(sid))
        {
            // The SDK puts the SID into the URL path as it is: only a well-formed one may get there.
            throw Failure("fetch message", "fetch message: the message SID is malformed.", ReasonCodes.ProviderFailed, false, null, null, null);
        }

        var message = await SendAsync("fetch message", ReadClientName, idempotent: true,
            client => MessageResource.FetchAsync(new FetchMessageOptions(sid), client), cancellationToken);
        return ReadMessage("fetch message", message);
    }

    /// <summary>Lookup v2 with line type intelligence and SMS pumping risk.</summary>
    public async Task<TwilioLookupResult> LookupAsync(PhoneNumber number, CancellationToken cancellationToken)
    {
        var answer = await SendAsync("lookup", ReadClientName, idempotent: true,
            client => Lookups.PhoneNumberResource.FetchAsync(new Lookups.FetchPhoneNumberOptions(number.E164) { Fields = LookupFields }, client), cancellationToken);
        return new TwilioLookupResult(answer?.Valid == true, answer?.LineTypeIntelligence?.Type, answer?.SmsPumpingRisk?.SmsPumpingRiskScore);
    }

    private TwilioMessage ReadMessage(string operation, MessageResource? resource)
    {
        var status = resource?.Status?.ToString();
        if (string.IsNullOrEmpty(resource?.Sid) || string.IsNullOrEmpty(status))
        {
            // Twilio said "done" but we cannot tell which message: for a create it exists, so it must not be sent again.
            throw Failure(operation, $"{operation}: Twilio's answer has no message sid or status.", ReasonCodes.ProviderFailed, true, null, null, null);
        }

        return new TwilioMessage(resource.Sid, status, resource.ErrorCode, resource.To);
    }

    private async Task<T> SendAsync<T>(string operation, string clientName, bool idempotent, Func<ITwilioRestClient, Task<T>> call, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(clientName);
        var credential = await CredentialAsync(operation, credentials.GetAsync, cancellationToken);
        var credentialRefreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= _options.MaxAttempts;
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var transport = new TwilioHttpTransport(http, _options, linked.Token);
            var client = new TwilioRestClient(credential.Username, credential.Secret, accountSid: _options.AccountSid, httpClient: transport)
            {
                LogLevel = null, // "debug" (from TWILIO_LOG_LEVEL) would print request URLs to the console
            };
            T result;
            try
            {
                result = await call(client);
            }
            catch (Exception) when (transport.Failure is { } failure && NeverSent(failure, cancellationToken, timeout.Token))
            {
                if (last)
                {
                    throw Failure(operation, $"{operation}: could not connect to Twilio after {attempt} attempts.", ReasonCodes.ProviderFailed, false, null, null, failure);
                }

                logger.LogWarning("Twilio {Operation} attempt {Attempt}: no connection ({Error}); retrying.", operation, attempt, Describe(failure));
                await DelayAsync(attempt, null, cancellationToken);
                continue;
            }
            catch (Exception) when (transport.Failure is { } failure)
            {
                // The request may have been written: Twilio may have acted on it without us hearing back.
                var timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                if (cancellationToken.IsCancellationRequested && idempotent)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                if (!idempotent || last)
                {
                    var what = timedOut ? "timed out" : cancellationToken.IsCancellationRequested ? "was cancelled" : "lost the connection";
                    throw Failure(operation, $"{operation}: the request {what} after it may have reached Twilio.", ReasonCodes.ProviderFailed, true, null, null, failure);
                }

                logger.LogWarning("Twilio {Operation} attempt {Attempt}: {Error}; retrying (safe to repeat).", operation, attempt, timedOut ? "timed out" : Describe(failure));
                await DelayAsync(attempt, null, cancellationToken);
                continue;
            }
            catch (Exception e) when (transport.Status is null)
            {
                // The SDK failed before anything was sent (no answer and no HTTP failure): nothing to repeat.
                throw Failure(operation, $"{operation}: the Twilio SDK could not make the request.", ReasonCodes.ProviderFailed, transport.Started, null, null, e);
            }
            catch (Exception e) when (transport.Status is { } status && IsSuccess(status))
            {
                // Twilio said yes but the SDK cannot read the resource: for a create that means "sent, id unknown".
                throw Failure(operation, $"{operation}: Twilio answered HTTP {(int)status} with an unreadable body.", ReasonCodes.ProviderFailed, true, status, null, e);
            }
            catch (Exception e) when (transport.Status is { } status)
            {
                var code = ErrorCode(e);
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
                if ((rateLimited || (serverError && idempotent)) && !last)
                {
                    logger.LogWarning("Twilio {Operation} attempt {Attempt}: HTTP {Status}, error {TwilioError}; retrying.", operation, attempt, (int)status, code);
                    await DelayAsync(attempt, transport.RetryAfter, cancellationToken);
                    continue;
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

            if (transport.Status is { } answered && !IsSuccess(answered))
            {
                // The SDK takes 3xx for success; Twilio's API does not redirect, and following one would carry the credential.
                throw Failure(operation, $"{operation}: Twilio answered HTTP {(int)answered}.", ReasonCodes.ProviderFailed, false, answered, null, null);
            }

            return result;
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    /// <summary>Twilio's error code from the SDK's exception (read from the answer's JSON), or null when it had none.</summary>
    private static int? ErrorCode(Exception e) => e switch
    {
        ApiException { Code: > 0 } api => api.Code,
        ApiStandardException { Code: > 0 } standard => standard.Code,
        _ => null,
    };

    private TwilioRequestException Failure(string operation, string message, string reason, bool mayHaveReached, HttpStatusCode? status, int? code, Exception? inner)
    {
        logger.LogWarning("Twilio {Operation} failed: {Reason} (HTTP {Status}, error {TwilioError}, may have reached Twilio: {MayHaveReached}).",
            operation, reason, status is null ? null : (int)status, code, mayHaveReached);

        // The inner exception is dropped on purpose: HttpClient's and the SDK's messages can carry the request URL (a
        // Lookup URL holds the phone number) or Twilio's answer. Its type and error category are kept in the message instead.
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

    [GeneratedRegex("^(SM|MM)[0-9a-fA-F]{32}$")]
    private static partial Regex MessageSid();
}
