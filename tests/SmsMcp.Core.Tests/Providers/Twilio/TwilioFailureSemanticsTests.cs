using System.Net;
using System.Net.Sockets;
using System.Text;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// Retry semantics against a loopback fake that answers 429, 5xx, hangs or resets on cue: only requests Twilio
/// certainly did not act on are repeated; everything else ends as Unknown after exactly one POST.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class TwilioFailureSemanticsTests
{
    [Fact]
    public async Task TooManyRequestsTwice_RetriedThenSent_ThreePosts()
    {
        await using var fake = new LoopbackHttpServer(n => n < 3 ? LoopbackReply.Error(429, 20429) : LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.SendAsync();

        Assert.Equal((MessageStatus.Queued, "SM0123456789abcdef0123456789abcdef"), (result.Status, result.ProviderMessageId));
        Assert.Equal(3, fake.Posts);
    }

    [Fact]
    public async Task TooManyRequestsWithoutTwilioCode_RetriedThenSent()
    {
        await using var fake = new LoopbackHttpServer(n => n == 1 ? LoopbackReply.Json(429, "", ("Retry-After", "0")) : LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.SendAsync();

        Assert.Equal(MessageStatus.Queued, result.Status);
        Assert.Equal(2, fake.Posts);
    }

    [Fact]
    public async Task TooManyRequestsEveryTime_RefusedAsRateLimited_AfterMaxAttempts()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Error(429, 20429));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.SendAsync());

        Assert.Equal(ReasonCodes.ProviderRateLimited, e.ReasonCode);
        Assert.Equal(3, fake.Posts);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task ServerError_NotPostedAgain_Unknown(int status)
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(status, """{"code":20500,"message":"Internal Server Error"}"""));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.SendAsync();

        Assert.Equal((MessageStatus.Unknown, null), (result.Status, result.ProviderMessageId));
        Assert.Equal(1, fake.Posts);
    }

    [Fact]
    public async Task HangPastTheTimeout_NotPostedAgain_Unknown()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Hang);

        // Long enough that the fake has read the request before the client gives up, even on a loaded machine.
        await using var h = new TwilioHarness(fake.BaseUrl, new Dictionary<string, string?>
        {
            ["Sms:Twilio:RequestTimeout"] = "00:00:01.500",
            ["Sms:Twilio:ConnectTimeout"] = "00:00:01",
        });

        var result = await h.SendAsync();

        Assert.Equal(MessageStatus.Unknown, result.Status);
        Assert.Equal(1, fake.Posts);
        Assert.Equal(1, h.Attempts);
    }

    [Fact]
    public async Task CallerHangsUpWhileTwilioHasTheRequest_NotPostedAgain_Unknown()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Hang);
        await using var h = new TwilioHarness(fake.BaseUrl);
        using var caller = new CancellationTokenSource();

        var send = h.SendAsync(caller.Token);
        await fake.FirstRequestReceived;
        await caller.CancelAsync();
        var result = await send;

        Assert.Equal(MessageStatus.Unknown, result.Status);
        Assert.Equal(1, fake.Posts);
    }

    [Theory]
    [InlineData(LoopbackReplyKind.Reset)]
    [InlineData(LoopbackReplyKind.Close)]
    public async Task ConnectionDiesAfterTheRequestWasRead_NotPostedAgain_Unknown(LoopbackReplyKind kind)
    {
        await using var fake = new LoopbackHttpServer(_ => kind == LoopbackReplyKind.Reset ? LoopbackReply.Reset : LoopbackReply.Close);
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.SendAsync();

        Assert.Equal(MessageStatus.Unknown, result.Status);
        Assert.Equal(1, fake.Posts);
        Assert.Equal(1, h.Attempts);
    }

    [Theory]
    [InlineData(LoopbackReplyKind.Reset)]
    [InlineData(LoopbackReplyKind.Close)]
    public async Task ConnectionDiesOnWhatWouldBeAReusedConnection_NotPostedAgain_Unknown(LoopbackReplyKind kind)
    {
        // SocketsHttpHandler silently re-sends a request whose *reused* connection dies before any response byte:
        // the send client must never reuse a connection, or this second send would reach the fake twice.
        var die = kind == LoopbackReplyKind.Reset ? LoopbackReply.Reset : LoopbackReply.Close;
        await using var fake = new LoopbackHttpServer(n => n == 1 ? LoopbackReply.Created() : die);
        await using var h = new TwilioHarness(fake.BaseUrl);

        Assert.Equal(MessageStatus.Queued, (await h.SendAsync()).Status);
        var second = await h.SendAsync();

        Assert.Equal(MessageStatus.Unknown, second.Status);
        Assert.Equal(2, fake.Posts);
    }

    [Fact]
    public async Task ConnectionRefused_RetriedWithinBounds_ThenRefusedAsNotSent()
    {
        var closedPort = LoopbackPort.Free();
        await using var h = new TwilioHarness(new Uri($"http://127.0.0.1:{closedPort}"));

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.SendAsync());

        Assert.Equal(ReasonCodes.ProviderFailed, e.ReasonCode);
        Assert.Equal(3, h.Attempts);
    }

    [Theory]
    [InlineData(400, 21610, ReasonCodes.RecipientOptedOut)]
    [InlineData(400, 21408, ReasonCodes.DestinationNotPermitted)]
    [InlineData(400, 21612, ReasonCodes.DestinationNotPermitted)]
    [InlineData(400, 30450, ReasonCodes.PumpingProtection)]
    [InlineData(400, 30453, ReasonCodes.PumpingProtection)]
    [InlineData(401, 20003, ReasonCodes.ProviderCredentials)]
    [InlineData(403, 20003, ReasonCodes.ProviderCredentials)]
    [InlineData(400, 21211, ReasonCodes.ProviderFailed)]
    [InlineData(404, 20404, ReasonCodes.ProviderFailed)]
    public async Task TwilioErrorAnswer_OnePost_RefusedWithTheMappedReason(int status, int code, string reason)
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Error(status, code));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.SendAsync());

        Assert.Equal(reason, e.ReasonCode);
        Assert.Equal(1, fake.Posts);
    }

    [Fact]
    public async Task UnauthorizedWithoutTwilioBody_RefusedAsCredentials()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(401, ""));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.SendAsync());

        Assert.Equal(ReasonCodes.ProviderCredentials, e.ReasonCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""["SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]""")] // valid JSON, but not the message object
    [InlineData("\"queued\"")]
    public async Task CreatedWithUnreadableBody_NotPostedAgain_Unknown(string body)
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(201, body));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.SendAsync();

        Assert.Equal(MessageStatus.Unknown, result.Status);
        Assert.Equal(1, fake.Posts);
    }

    [Fact]
    public async Task CreatedAlreadyFailedWithPumpingError_RefusedAsPumpingProtection()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(201, """{"sid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","status":"failed","error_code":30450}"""));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var e = await Assert.ThrowsAsync<SmsProviderException>(() => h.SendAsync());

        Assert.Equal(ReasonCodes.PumpingProtection, e.ReasonCode);
    }

    [Fact]
    public async Task CreateRequest_CarriesTheConfiguredFieldsAndApiKeyBasicAuth()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl);

        await h.SendAsync();

        var request = Assert.Single(fake.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{TwilioHarness.AccountSid}/Messages.json", request.Target);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioHarness.ApiKeySid}:{TwilioHarness.ApiKeySecret}")), request.Headers["Authorization"]);
        var form = request.Body.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal(TwilioHarness.ToE164, form["To"]);
        Assert.Equal(TwilioHarness.From, form["From"]);
        Assert.Equal(TwilioHarness.Body, form["Body"]);
        Assert.Equal("https://smsmcp.example.com/twilio/status?mid=msg_test", form["StatusCallback"]);
        Assert.False(form.ContainsKey("MessagingServiceSid"));
    }

    [Fact]
    public async Task AuthTokenAndMessagingService_UsedWhenNoApiKeyIsConfigured()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl, new Dictionary<string, string?>
        {
            ["Sms:Twilio:ApiKeySid"] = null,
            ["Sms:Twilio:ApiKeySecret"] = null,
            ["Sms:Twilio:AuthToken"] = "auth-token-value",
            ["Sms:Twilio:From"] = null,
            ["Sms:Twilio:MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef",
        });

        await h.SendAsync();

        var request = Assert.Single(fake.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioHarness.AccountSid}:auth-token-value")), request.Headers["Authorization"]);
        Assert.Contains("MessagingServiceSid=MG0123456789abcdef0123456789abcdef", request.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("From=", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAfterServerError_RetriedBecauseReadsAreSafe()
    {
        await using var fake = new LoopbackHttpServer(n => n == 1
            ? LoopbackReply.Json(503, "")
            : LoopbackReply.Json(200, """{"sid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","status":"delivered","error_code":null}"""));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var message = await h.Client.FetchMessageAsync("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", CancellationToken.None);

        Assert.Equal(MessageStatus.Delivered, TwilioStatusMap.ToMessageStatus(message.Status));
        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Lookup_ReadsLineTypeAndPumpingRisk()
    {
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Json(200, """
            {"valid":true,"line_type_intelligence":{"type":"premium","carrier_name":"x","error_code":null},
             "sms_pumping_risk":{"carrier_risk_category":"high","sms_pumping_risk_score":87,"number_blocked":false}}
            """));
        await using var h = new TwilioHarness(fake.BaseUrl);

        var result = await h.Client.LookupAsync(TwilioHarness.To, CancellationToken.None);

        Assert.Equal(new TwilioLookupResult(true, "premium", 87), result);
        // The SDK writes the number into the path as it is and form-encodes the field list.
        Assert.Equal("/v2/PhoneNumbers/+12025550123?Fields=line_type_intelligence%2Csms_pumping_risk", Assert.Single(fake.Requests).Target);
    }

    [Fact]
    public async Task SendFetchAndLookup_NeverInitialiseTheSdksStaticClient()
    {
        // Each call builds its own TwilioRestClient: had anything called TwilioClient.Init (process-wide credentials),
        // the SDK's static client would now exist.
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl);

        await h.SendAsync();
        await h.Client.FetchMessageAsync("SM0123456789abcdef0123456789abcdef", CancellationToken.None);
        await h.Client.LookupAsync(TwilioHarness.To, CancellationToken.None);

        Assert.Equal(3, fake.Requests.Count);
        Assert.Throws<global::Twilio.Exceptions.AuthenticationException>(global::Twilio.TwilioClient.GetRestClient);
    }

    [Theory]
    [InlineData("../../Calls/CA0123456789abcdef0123456789abcdef")]
    [InlineData("SM0123456789abcdef0123456789abcdef?x=1")]
    [InlineData("CA0123456789abcdef0123456789abcdef")]
    public async Task FetchWithAMalformedSid_NothingSent(string sid)
    {
        // The SDK writes the SID into the URL path unescaped: only a well-formed message SID may get there.
        await using var fake = new LoopbackHttpServer(_ => LoopbackReply.Created());
        await using var h = new TwilioHarness(fake.BaseUrl);

        var e = await Assert.ThrowsAsync<TwilioRequestException>(() => h.Client.FetchMessageAsync(sid, CancellationToken.None));

        Assert.False(e.MayHaveReachedTwilio);
        Assert.Empty(fake.Requests);
    }
}
