using System.Net;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using SmsMcp.Core.Content;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests.Twilio;

/// <summary>
/// The status walk with real processes: the C# SDK client sends through the real server, whose Twilio client talks to
/// Prism serving Twilio's OpenAPI description; then a status callback signed by Twilio's own Node library (twilio-node,
/// tests/peers/twilio-sign.mjs) for the URL the server gave Twilio is posted to the server's /twilio/status, and
/// get_message_status reports the delivery.
/// </summary>
[Collection(PrismCollection.Name)]
public sealed class StatusCallbackEndToEndTests(PrismFixture prism)
{
    private const string AuthToken = "e2e-auth-token-0123456789abcdef";
    private const string AccountSid = TwilioServices.AccountSid;
    private const string Recipient = "+12025550123";

    private Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(
        new Dictionary<string, string>
        {
            ["Sms__Provider"] = "Twilio",
            ["Sms__Twilio__AccountSid"] = AccountSid,
            ["Sms__Twilio__ApiKeySid"] = "SK0123456789abcdef0123456789abcdef",
            ["Sms__Twilio__ApiKeySecret"] = "prism-checks-presence-not-value",
            ["Sms__Twilio__AuthToken"] = AuthToken,
            ["Sms__Twilio__From"] = "+12025550100",
            ["Sms__Twilio__ApiBaseUrl"] = prism.ApiBaseUrl.ToString(),
            ["Sms__Twilio__LookupBaseUrl"] = prism.LookupBaseUrl.ToString(),
            ["Sms__Twilio__MaxAttempts"] = "1",
        },
        port => new Dictionary<string, string> { ["Sms__Twilio__StatusCallbackUrl"] = $"http://127.0.0.1:{port}/twilio/status" });

    /// <summary>The SID Prism answers a create with (its example for the operation), learned by asking it the same way.</summary>
    private async Task<string> PrismSidAsync()
    {
        await using var twilio = new TwilioServices(prism);
        Assert.True(PhoneNumberParser.TryParse(Recipient, out var number, out _));
        var result = await twilio.Provider.SendAsync(new ProviderMessage("msg_probe", number!, "probe", SmsSegmenter.Analyze("probe")), CancellationToken.None);
        return result.ProviderMessageId!;
    }

    private static async Task<string> SignWithTwilioNodeAsync(string url, Dictionary<string, string> form)
    {
        var input = new JsonArray(new JsonObject
        {
            ["token"] = AuthToken,
            ["url"] = url,
            ["params"] = new JsonObject([.. form.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]),
        }).ToJsonString();
        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("twilio-sign.mjs")], standardInput: input);
        Assert.True(run.ExitCode == 0, run.ToString());
        var answer = JsonNode.Parse(run.StandardOutput)!.AsArray().Single()!;
        Assert.True(answer["valid"]!.GetValue<bool>());
        return answer["signature"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> PostCallbackAsync(string url, Dictionary<string, string> form, string signature)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> PostRawAsync(string url, string body, string contentType, bool chunked = false)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (chunked)
        {
            request.Content.Headers.ContentLength = null;
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task SendThroughPrism_SignedDeliveredCallback_GetMessageStatusSaysDelivered()
    {
        await using var server = await StartServerAsync();
        var sid = await PrismSidAsync();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ServerProcess.ApiKey },
        }));

        var sent = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "end-to-end status walk" });
        Assert.NotEqual(true, sent.IsError);
        var messageId = sent.StructuredContent!.Value.GetProperty("message_id").GetString()!;
        Assert.Equal("queued", await StatusAsync(client, messageId));

        // The URL the server gave Twilio for this message (its StatusCallback plus our id), as Twilio would call it.
        var url = $"http://127.0.0.1:{server.Port}/twilio/status?mid={messageId}";
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AccountSid, ["ApiVersion"] = "2010-04-01", ["From"] = "+12025550100", ["To"] = Recipient,
            ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = "delivered", ["SmsStatus"] = "delivered",
        };
        var signature = await SignWithTwilioNodeAsync(url, form);

        // A tampered status fails the signature and changes nothing; the genuine callback applies, a repeat is a no-op.
        Assert.Equal(HttpStatusCode.Forbidden, await PostCallbackAsync(url, new(form) { ["MessageStatus"] = "failed" }, signature));
        Assert.Equal("queued", await StatusAsync(client, messageId));

        // Unsigned bodies ASP.NET's form reader would throw on, and a chunked body past the 64 KiB cap (Kestrel, real
        // chunked framing): answered 4xx, never 500, and nothing changes.
        var failed = new Dictionary<string, string>(form) { ["MessageStatus"] = "failed", ["ErrorCode"] = "30003" };
        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync(url, string.Join('&', Enumerable.Range(0, 1100).Select(i => $"k{i}=v")), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync(url, "--zzz\r\ngarbage", "multipart/form-data; boundary=zzz"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostRawAsync(url,
            await new FormUrlEncodedContent(new Dictionary<string, string>(failed) { ["Padding"] = new string('x', 100 * 1024) }).ReadAsStringAsync(),
            "application/x-www-form-urlencoded", chunked: true));
        Assert.Equal("queued", await StatusAsync(client, messageId));
        Assert.Equal(HttpStatusCode.OK, await PostCallbackAsync(url, form, signature));
        Assert.Equal(HttpStatusCode.OK, await PostCallbackAsync(url, form, signature));

        Assert.Equal("delivered", await StatusAsync(client, messageId));
    }

    [Fact]
    public async Task SignedCallbackRepeatingAccountSid_403Or404_NothingApplied_TheSingleOneApplies()
    {
        await using var server = await StartServerAsync();
        var sid = await PrismSidAsync();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ServerProcess.ApiKey },
        }));
        var sent = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "repeated parameter" });
        var messageId = sent.StructuredContent!.Value.GetProperty("message_id").GetString()!;
        var url = $"http://127.0.0.1:{server.Port}/twilio/status?mid={messageId}";
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AccountSid, ["ApiVersion"] = "2010-04-01", ["From"] = "+12025550100", ["To"] = Recipient,
            ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = "failed", ["SmsStatus"] = "failed", ["ErrorCode"] = "30003",
        };

        // Signed by twilio-node over AccountSid given twice (its signature covers a repeated name's distinct values):
        // once with our account, once with the same value and once with another one.
        foreach (var second in new[] { AccountSid, "AC" + new string('f', 32) })
        {
            var parameters = new JsonObject([.. form.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))]) { ["AccountSid"] = new JsonArray(AccountSid, second) };
            var input = new JsonArray(new JsonObject { ["token"] = AuthToken, ["url"] = url, ["params"] = parameters }).ToJsonString();
            var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("twilio-sign.mjs")], standardInput: input);
            Assert.True(run.ExitCode == 0, run.ToString());
            var signature = JsonNode.Parse(run.StandardOutput)!.AsArray().Single()!["signature"]!.GetValue<string>();

            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new FormUrlEncodedContent([.. form, new KeyValuePair<string, string>("AccountSid", second)]),
            };
            request.Headers.Add("X-Twilio-Signature", signature);
            using var response = await http.SendAsync(request);

            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
            Assert.Equal("queued", await StatusAsync(client, messageId));
        }

        Assert.Equal(HttpStatusCode.OK, await PostCallbackAsync(url, form, await SignWithTwilioNodeAsync(url, form)));
        Assert.Equal("failed", await StatusAsync(client, messageId));
    }

    [Fact]
    public async Task ReconciliationFetchBySid_PassesPrismValidation_ReadsTheMessage()
    {
        // Prism answers every fetch with its example message: ask for that one, since the fetcher refuses an answer
        // about another SID than the one it asked for.
        await using var twilio = new TwilioServices(prism);
        var sid = (await twilio.Client.FetchMessageAsync(await PrismSidAsync(), CancellationToken.None)).Sid;

        var report = await twilio.Fetcher.FetchAsync("msg_0123456789abcdef0123456789abcdef", sid, CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal((sid, "msg_0123456789abcdef0123456789abcdef"), (report.ProviderMessageId, report.MessageId));
        Assert.NotEqual(Core.Messages.MessageStatus.Unknown, report.Status);
    }

    private static async Task<string?> StatusAsync(McpClient client, string messageId)
    {
        var status = await client.CallToolAsync("get_message_status", new Dictionary<string, object?> { ["message_id"] = messageId });
        Assert.NotEqual(true, status.IsError);
        return status.StructuredContent!.Value.GetProperty("status").GetString();
    }
}
