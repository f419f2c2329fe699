using System.Net;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// Every create carries its own StatusCallback: the configured URL plus <c>mid=</c> our message id (the signature Twilio
/// puts on the callback covers it), appended with <c>&amp;</c> when the configured URL already has a query.
/// </summary>
public sealed class TwilioStatusCallbackUrlTests
{
    private static async Task<string?> SentCallbackAsync(string? configured)
    {
        await using var twilio = new LoopbackHttpServer(_ => LoopbackReply.Created());
        await using var sms = new TwilioHarness(twilio.BaseUrl, new Dictionary<string, string?> { ["Sms:Twilio:StatusCallbackUrl"] = configured });

        await sms.SendAsync();

        var form = Assert.Single(twilio.Requests).Body.Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
        return form.GetValueOrDefault("StatusCallback");
    }

    [Fact]
    public async Task ConfiguredUrl_GetsTheMessageId() =>
        Assert.Equal("https://smsmcp.example.com/twilio/status?mid=msg_test", await SentCallbackAsync("https://smsmcp.example.com/twilio/status"));

    [Fact]
    public async Task ConfiguredUrlWithAQuery_MessageIdAppended() =>
        Assert.Equal("https://smsmcp.example.com/twilio/status?code=abc&mid=msg_test", await SentCallbackAsync("https://smsmcp.example.com/twilio/status?code=abc"));

    [Fact]
    public async Task NoConfiguredUrl_NoStatusCallback() =>
        Assert.Null(await SentCallbackAsync(null));

    [Fact]
    public void MessageIdIsEscaped() =>
        Assert.Equal("https://h/s?mid=a%26b%3Dc", TwilioApi.StatusCallbackFor("https://h/s", "a&b=c"));
}
