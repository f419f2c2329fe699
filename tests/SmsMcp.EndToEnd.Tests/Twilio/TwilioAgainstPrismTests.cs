using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SmsMcp.Core.Content;
using SmsMcp.Core.Lookup;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests.Twilio;

/// <summary>
/// Our Twilio client against Prism serving Twilio's own OpenAPI description: every request we make passes Prism's
/// validation (anything else would be a 401/422 and so an exception here), and Prism's mocked answers parse — also
/// the Lookup the first-contact guard makes. The last tests send deliberately broken requests to prove the validation
/// does reject.
/// </summary>
[Collection(PrismCollection.Name)]
public sealed class TwilioAgainstPrismTests(PrismFixture prism)
{
    private static PhoneNumber Number => PhoneNumberParser.TryParse("+12025550123", out var n, out _) ? n : throw new InvalidOperationException();

    private static ProviderMessage Message(string body) => new("msg_prism", Number, body, SmsSegmenter.Analyze(body));

    [Theory]
    [InlineData("hello from the tests")]
    [InlineData("Ünïcödé ✓ 👍 — long enough to need more than one segment when it is encoded as UCS-2, which this sentence will be for sure")]
    public async Task CreateWithApiKeyAndFrom_PassesValidation_ParsesTheMockedMessage(string body)
    {
        await using var twilio = new TwilioServices(prism);

        var result = await twilio.Provider.SendAsync(Message(body), CancellationToken.None);

        Assert.Equal(MessageStatus.Queued, result.Status);
        Assert.StartsWith("SM", result.ProviderMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithAuthTokenAndMessagingService_PassesValidation()
    {
        await using var twilio = new TwilioServices(prism, new Dictionary<string, string?>
        {
            ["Sms:Twilio:ApiKeySid"] = null,
            ["Sms:Twilio:ApiKeySecret"] = null,
            ["Sms:Twilio:AuthToken"] = "token",
            ["Sms:Twilio:From"] = null,
            ["Sms:Twilio:MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef",
            ["Sms:Twilio:StatusCallbackUrl"] = null,
        });

        var result = await twilio.Provider.SendAsync(Message("via a messaging service"), CancellationToken.None);

        Assert.Equal(MessageStatus.Queued, result.Status);
    }

    [Fact]
    public async Task FetchBySid_PassesValidation_ParsesTheMockedMessage()
    {
        await using var twilio = new TwilioServices(prism);

        var message = await twilio.Client.FetchMessageAsync("SM0123456789abcdef0123456789abcdef", CancellationToken.None);

        Assert.StartsWith("SM", message.Sid, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(message.Status));
    }

    [Fact]
    public async Task Lookup_PassesValidation()
    {
        await using var twilio = new TwilioServices(prism);

        var result = await twilio.Client.LookupAsync(Number, CancellationToken.None);

        Assert.True(result.Valid);
    }

    [Theory]
    [InlineData("fetchLineTypeIntelligence", "nonFixedVoip", null)]
    [InlineData("fetchSmsPumpingRisk", null, 61)]
    public async Task Lookup_ParsesTwilioDocumentedExamples(string example, string? lineType, int? score)
    {
        // Prism picks a named example from the description when asked with "Prefer: example=…" (tests only).
        await using var twilio = new TwilioServices(prism, readHandler: () => new PreferExampleHandler(example));

        var result = await twilio.Client.LookupAsync(Number, CancellationToken.None);

        Assert.Equal((lineType, score), (result.LineType, result.SmsPumpingRiskScore));
    }

    [Fact]
    public async Task GuardLookup_PassesValidation_InvalidExampleReadAsInvalid()
    {
        // The request the first-contact guard makes (INumberLookup as wired with Twilio): Prism would answer 401/422 to
        // anything off the description, which the guard would see as "unavailable", not as an answer.
        await using var twilio = new TwilioServices(prism, readHandler: () => new PreferExampleHandler("fetchInvalid"));

        var answer = await twilio.Lookup.LookupAsync(Number, CancellationToken.None);

        Assert.False(answer.Valid);
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("fetchLineTypeIntelligence")]
    [InlineData("fetchSmsPumpingRisk")]
    public async Task GuardLookup_AnswerMissingAPackage_Unavailable_AfterAValidatedRequest(string example)
    {
        // Twilio's examples each carry at most one of the two packages; a valid number without both is "unavailable"
        // (fail closed), though Prism accepted the request (HTTP 200, seen below our client).
        var statuses = new List<int>();
        await using var twilio = new TwilioServices(prism, readHandler: () => new PreferExampleHandler(example, statuses));

        var e = await Assert.ThrowsAsync<NumberLookupUnavailableException>(() => twilio.Lookup.LookupAsync(Number, CancellationToken.None));

        Assert.Equal([200], statuses);
        Assert.Contains("no line type or no SMS pumping risk score", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardLookupWithoutAuthorization_RejectedByPrism401_Unavailable()
    {
        await using var twilio = new TwilioServices(prism, readHandler: () => new StripAuthorizationHandler());

        var e = await Assert.ThrowsAsync<NumberLookupUnavailableException>(() => twilio.Lookup.LookupAsync(Number, CancellationToken.None));

        Assert.Contains("401", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithoutTo_RejectedByPrism422()
    {
        using var http = new HttpClient();
        using var request = CreateRequest(new() { ["From"] = "+12025550100", ["Body"] = "x" }, authenticated: true);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("'To'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithoutAuth_RejectedByPrism401()
    {
        using var http = new HttpClient();
        using var request = CreateRequest(new() { ["To"] = "+12025550123", ["From"] = "+12025550100", ["Body"] = "x" }, authenticated: false);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MalformedAccountSid_RejectedByPrism422()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(prism.ApiBaseUrl, "/2010-04-01/Accounts/AC123/Messages/SM1.json"));
        request.Headers.Authorization = Basic();

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task OurClientWithAMalformedRequest_RejectedByPrism_RefusedAsNotSent()
    {
        // The same check through our own client: a handler strips the required To field on the way out, Prism
        // answers 422, and the provider reports a certain failure (nothing was created).
        await using var twilio = new TwilioServices(prism, sendHandler: () => new StripToHandler());

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => twilio.Provider.SendAsync(Message("x"), CancellationToken.None));

        Assert.Equal(Core.Vocabulary.ReasonCodes.ProviderFailed, e.ReasonCode);
        Assert.Contains("422", e.Message, StringComparison.Ordinal);
    }

    private HttpRequestMessage CreateRequest(Dictionary<string, string> form, bool authenticated)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(prism.ApiBaseUrl, $"/2010-04-01/Accounts/{TwilioServices.AccountSid}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        if (authenticated)
        {
            request.Headers.Authorization = Basic();
        }

        return request;
    }

    private static AuthenticationHeaderValue Basic() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("SK0123456789abcdef0123456789abcdef:secret")));

    private sealed class PreferExampleHandler(string example, List<int>? statuses = null) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Prefer", "example=" + example);
            var response = await base.SendAsync(request, cancellationToken);
            statuses?.Add((int)response.StatusCode);
            return response;
        }
    }

    private sealed class StripAuthorizationHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = null;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class StripToHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = await request.Content!.ReadAsStringAsync(cancellationToken);
            request.Content = new StringContent(string.Join('&', form.Split('&').Where(p => !p.StartsWith("To=", StringComparison.Ordinal))),
                Encoding.UTF8, "application/x-www-form-urlencoded");
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
