using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Twilio;
using SdkHttp = Twilio.Http;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// The HTTP layer under the Twilio SDK: the SDK's fixed hosts go to the configured base URLs (path and query kept), any
/// other host is refused before a byte is sent, and one call is one HTTP request.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class TwilioHttpTransportTests
{
    [Theory]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json", "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")]
    [InlineData("https://lookups.twilio.com/v2/PhoneNumbers/+12025550123", "/v2/PhoneNumbers/+12025550123")]
    public async Task TwilioHost_SentOnceToTheConfiguredBaseUrl(string sdkUrl, string expectedTarget)
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(500, ""));
        using var http = new HttpClient();
        var transport = new TwilioHttpTransport(http, Options(fake.BaseUrl), CancellationToken.None);

        var response = await transport.MakeRequestAsync(new SdkHttp.Request(SdkHttp.HttpMethod.Get, sdkUrl));

        Assert.Equal((System.Net.HttpStatusCode.InternalServerError, System.Net.HttpStatusCode.InternalServerError), (response.StatusCode, transport.Status));
        Assert.Equal(expectedTarget, Assert.Single(fake.Requests).Target);
    }

    [Theory]
    [InlineData("https://example.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")]
    [InlineData("https://api.twilio.com.example.com/x")]
    [InlineData("https://verify.twilio.com/v2/Services")]
    public async Task OtherHost_RefusedBeforeAnythingIsSent(string sdkUrl)
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Created());
        using var http = new HttpClient();
        var transport = new TwilioHttpTransport(http, Options(fake.BaseUrl), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => transport.MakeRequestAsync(new SdkHttp.Request(SdkHttp.HttpMethod.Post, sdkUrl)));

        Assert.False(transport.Started);
        Assert.Empty(fake.Requests);
    }

    private static TwilioOptions Options(Uri baseUrl) => new() { ApiBaseUrl = baseUrl.ToString(), LookupBaseUrl = baseUrl.ToString() };
}
