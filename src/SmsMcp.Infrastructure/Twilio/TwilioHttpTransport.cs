using System.Net;
using System.Net.Http.Headers;
using SdkHttp = Twilio.Http;

namespace SmsMcp.Infrastructure.Twilio;

/// <summary>
/// The HTTP layer under one attempt of the Twilio SDK (<see cref="Twilio.Clients.TwilioRestClient"/>): sends the SDK's
/// request exactly once through our <see cref="System.Net.Http.HttpClient"/>, and remembers what happened so
/// <see cref="TwilioApi"/> can decide whether the attempt may be repeated.
/// </summary>
/// <remarks>
/// Hand-written because the SDK's own <see cref="SdkHttp.SystemNetHttpClient"/> takes no <see cref="CancellationToken"/>
/// (a send could not be bounded by our timeout nor cut off when the caller leaves), keeps the last request — credentials
/// included — in a shared property, and always calls the fixed hosts <c>api.twilio.com</c> / <c>lookups.twilio.com</c>.
/// Here those hosts are mapped onto <see cref="TwilioOptions.ApiBaseUrl"/> and <see cref="TwilioOptions.LookupBaseUrl"/>
/// (a loopback peer in tests) and any other host is refused before anything is sent. One instance per attempt: the
/// token and the outcome belong to that attempt only.
/// </remarks>
internal sealed class TwilioHttpTransport(HttpClient http, TwilioOptions options, CancellationToken attemptToken) : SdkHttp.HttpClient
{
    /// <summary>The HTTP status of the answer, when one arrived.</summary>
    public HttpStatusCode? Status { get; private set; }

    /// <summary>The answer's <c>Retry-After</c>, when it had one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; private set; }

    /// <summary>What the HTTP exchange threw (the SDK wraps it in an exception whose message holds the URL).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>True once the request was handed to <see cref="System.Net.Http.HttpClient"/> (it may have left the machine).</summary>
    public bool Started { get; private set; }

    public override SdkHttp.Response MakeRequest(SdkHttp.Request request) =>
        throw new NotSupportedException("The Twilio SDK is only called asynchronously here.");

    public override async Task<SdkHttp.Response> MakeRequestAsync(SdkHttp.Request request)
    {
        using var message = ToHttpRequest(request);
        Started = true;
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptToken);
            var content = await response.Content.ReadAsStringAsync(attemptToken);
            Status = response.StatusCode;
            RetryAfter = response.Headers.RetryAfter;
            return new SdkHttp.Response(response.StatusCode, content, response.Headers);
        }
        catch (Exception e)
        {
            Failure = e;
            throw;
        }
    }

    private HttpRequestMessage ToHttpRequest(SdkHttp.Request request)
    {
        var sdkUrl = request.ConstructUrl();
        var baseUrl = sdkUrl.Host switch
        {
            "api.twilio.com" => options.ApiBaseUrl,
            "lookups.twilio.com" => options.LookupBaseUrl,
            _ => throw new InvalidOperationException("The Twilio SDK asked for a host this server does not call."),
        };
        var target = new Uri(baseUrl.TrimEnd('/') + sdkUrl.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped));
        var message = new HttpRequestMessage(new HttpMethod(request.Method.ToString()), target);
        if (request.Username is not null && request.Password is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Authentication(request.Username, request.Password));
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in request.HeaderParams)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (!Equals(request.Method, SdkHttp.HttpMethod.Get))
        {
            // Every call we make (message create) posts a form; the SDK's JSON bodies belong to APIs we do not use.
            message.Content = new FormUrlEncodedContent(request.PostParams);
        }

        return message;
    }
}
