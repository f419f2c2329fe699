using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Http.Webhooks;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Webhooks;

/// <summary>
/// POST /twilio/status applies signed callbacks to our messages, answering as Twilio needs: 403 bad signature, 404 not
/// one of our messages, 200 (empty) applied or already known, 503 storage down (Twilio retries). The messages are
/// written exactly as the send pipeline writes them (a queued placeholder, then the send's result with Twilio's SID).
/// </summary>
public sealed class TwilioStatusCallbackTests(TwilioStatusCallbackTests.Factory factory) : IClassFixture<TwilioStatusCallbackTests.Factory>
{
    private const string AuthToken = "0123456789abcdef0123456789abcdef";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string PublicUrl = "https://smsmcp.example.com/twilio/status";
    private const string Number = "+12025550123";

    public sealed class Factory : SmsMcpFactory
    {
        public FaultyTableStore? Store { get; private set; }

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Sms:Provider", "Twilio"),
            new("Sms:Twilio:AccountSid", AccountSid),
            new("Sms:Twilio:AuthToken", AuthToken),
            new("Sms:Twilio:From", "+12025550100"),
            new("Sms:Twilio:StatusCallbackUrl", PublicUrl),
            new("Webhooks:PublicBaseUrl", "https://smsmcp.example.com"),
        ];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                var inner = services.Single(d => d.ServiceType == typeof(ITableStore));
                services.Remove(inner);
                services.AddSingleton<ITableStore>(sp => Store = new FaultyTableStore((ITableStore)(inner.ImplementationInstance
                    ?? inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
            });
        }
    }

    private static string Sid(int n) => "SM" + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A message as the pipeline leaves it after Twilio took it: queued, with Twilio's SID.</summary>
    private async Task<string> QueuedMessageAsync(string? sid)
    {
        var services = factory.Services;
        var messages = services.GetRequiredService<MessageStore>();
        var now = DateTimeOffset.UtcNow;
        var record = new MessageRecord
        {
            MessageId = MessageStore.NewMessageId(now), CallerId = "dev", RecipientMasked = "+1 ********23",
            RecipientRef = services.GetRequiredService<Pseudonymizer>().Recipient(Number), Alias = "demo",
            Status = MessageStatus.Queued, Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "twilio", CreatedAt = now, UpdatedAt = now,
        };
        await messages.InsertAsync(record, CancellationToken.None);
        await messages.SaveSendResultAsync(sid is null ? record with { Status = MessageStatus.Unknown } : record with { ProviderMessageId = sid }, CancellationToken.None);
        return record.MessageId;
    }

    private static KeyValuePair<string, string>[] Form(string sid, string status, string? errorCode = null, string to = Number) =>
    [
        new("MessageSid", sid), new("SmsSid", sid), new("MessageStatus", status), new("SmsStatus", status), new("AccountSid", AccountSid),
        new("From", "+12025550100"), new("To", to), new("ApiVersion", "2010-04-01"), .. errorCode is null ? [] : new[] { new KeyValuePair<string, string>("ErrorCode", errorCode) },
    ];

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string query, KeyValuePair<string, string>[] form, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioStatusEndpoints.Path + query) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignatureValidator.HeaderName, signature ?? TwilioSigner.Sign(AuthToken, PublicUrl + query, form));
        using var response = await factory.CreateClient().SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<System.Text.Json.Nodes.JsonNode> StatusAsync(string messageId) =>
        (await McpJsonRpc.CallToolAsync(factory.CreateClient(), "get_message_status", new { message_id = messageId }, SmsMcpFactory.ApiKey))["structuredContent"]!;

    private async Task<IReadOnlyList<AuditRecord>> TransitionsAsync(string messageId) =>
        [.. (await factory.Services.GetRequiredService<AuditLog>().ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None))
            .Where(r => r.MessageId == messageId && r.Tool == DeliveryStatusService.CallbackTool)];

    [Fact]
    public async Task Delivered_200EmptyBody_GetMessageStatusSaysDelivered_OneAuditRecord()
    {
        var id = await QueuedMessageAsync(Sid(1));

        var (status, body) = await PostAsync("?mid=" + id, Form(Sid(1), "delivered"));

        Assert.Equal((HttpStatusCode.OK, ""), (status, body));
        var result = await StatusAsync(id);
        Assert.Equal("delivered", result["status"]!.GetValue<string>());
        Assert.Null(result["error_code"]);
        Assert.Equal("delivered", Assert.Single(await TransitionsAsync(id)).ReasonCode);
    }

    [Fact]
    public async Task Undelivered_ErrorCodeReported_Duplicate200WithoutASecondAuditRecord()
    {
        var id = await QueuedMessageAsync(Sid(2));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(2), "undelivered", "30003"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(2), "undelivered", "30003"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(2), "sent"))).Status);

        var result = await StatusAsync(id);
        Assert.Equal(("undelivered", 30003), (result["status"]!.GetValue<string>(), result["error_code"]!.GetValue<int>()));
        Assert.Single(await TransitionsAsync(id));
    }

    [Fact]
    public async Task UnknownOutcome_AdoptsTheSignedSid()
    {
        var id = await QueuedMessageAsync(sid: null);
        Assert.Equal("unknown", (await StatusAsync(id))["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(3), "sent"))).Status);

        Assert.Equal("sent", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(Sid(3), (await factory.Services.GetRequiredService<MessageStore>().GetAsync("dev", id, CancellationToken.None))!.ProviderMessageId);
    }

    [Fact]
    public async Task OptOut21610_SuppressesTheNumber()
    {
        var id = await QueuedMessageAsync(Sid(4));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(4), "failed", "21610"))).Status);

        Assert.True(PhoneNumberParser.TryParse(Number, out var number, out _));
        Assert.True(await factory.Services.GetRequiredService<SuppressionList>().IsSuppressedAsync(number, CancellationToken.None));
        Assert.Equal("recipient_opted_out", Assert.Single(await TransitionsAsync(id)).ReasonCode);
    }

    public static TheoryData<string> NotOurs => new()
    {
        "",
        "?mid=",
        "?mid=msg_0000000000000000000000000000dead",
        "?mid=msg_NOT-WELL-FORMED",
        "?other=1",
    };

    [Theory]
    [MemberData(nameof(NotOurs))]
    public async Task NoOrUnknownOrMalformedMessageId_404(string query) =>
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(query, Form(Sid(5), "delivered"))).Status);

    [Fact]
    public async Task MessageIdTwice_404_NoChange()
    {
        var id = await QueuedMessageAsync(Sid(6));

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"?mid={id}&mid={id}", Form(Sid(6), "delivered"))).Status);

        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SM00000000000000000000000000000bad")]
    [InlineData("not-a-sid")]
    public async Task AnotherOrMalformedMessageSid_404_NoChange(string sid)
    {
        var id = await QueuedMessageAsync(Sid(7));

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("?mid=" + id, Form(sid, "delivered"))).Status);

        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Empty(await TransitionsAsync(id));
    }

    [Fact]
    public async Task AnotherAccount_404_NoChange()
    {
        var id = await QueuedMessageAsync(Sid(8));
        var form = Form(Sid(8), "delivered").Select(p => p.Key == "AccountSid" ? new KeyValuePair<string, string>(p.Key, "AC" + new string('f', 32)) : p).ToArray();

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("?mid=" + id, form)).Status);
        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
    }

    public static TheoryData<int, string, string, string> RepeatedParameters => new()
    {
        // message number, where, name, second value: the callback is correctly signed over both values every time
        { 201, "form", "AccountSid", AccountSid },
        { 202, "form", "AccountSid", "AC" + new string('f', 32) },
        { 203, "form", "MessageStatus", "failed" },
        { 204, "form", "MessageSid", Sid(99) },
        { 205, "form", "ErrorCode", "21610" },
        { 206, "form", "To", "+12025550187" },
        { 207, "form", "ApiVersion", "2010-04-01" },
        { 208, "query", "x", "2" },
    };

    [Theory]
    [MemberData(nameof(RepeatedParameters))]
    public async Task SignedCallbackRepeatingAParameter_403Or404_NothingApplied(int n, string where, string name, string secondValue)
    {
        var id = await QueuedMessageAsync(Sid(n));
        var form = Form(Sid(n), "delivered", errorCode: name == "ErrorCode" ? "30003" : null);
        var query = "?mid=" + id;
        if (where == "form")
        {
            form = [.. form, new(name, secondValue)];
        }
        else
        {
            query += $"&{name}=1&{name}={secondValue}";
        }

        Assert.Contains((await PostAsync(query, form)).Status, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });

        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Empty(await TransitionsAsync(id));
    }

    [Fact]
    public async Task BadSignature_403_NoChange()
    {
        var id = await QueuedMessageAsync(Sid(9));
        var signedForAnotherMessage = TwilioSigner.Sign(AuthToken, PublicUrl + "?mid=" + MessageStore.NewMessageId(DateTimeOffset.UtcNow), Form(Sid(9), "delivered"));

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("?mid=" + id, Form(Sid(9), "delivered"), signedForAnotherMessage)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("?mid=" + id, Form(Sid(9), "delivered"), "bm90IGEgc2lnbmF0dXJl")).Status);

        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Empty(await TransitionsAsync(id));
    }

    /// <summary>Posts <paramref name="body"/> as is, with this content type, chunked (no Content-Length) when asked.</summary>
    private async Task<HttpStatusCode> PostRawAsync(string query, byte[] body, string? contentType, string? signature = null, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TwilioStatusEndpoints.Path + query) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (chunked)
        {
            request.Content.Headers.ContentLength = null;
            request.Headers.TransferEncodingChunked = true;
        }

        if (signature is not null)
        {
            request.Headers.Add(TwilioSignatureValidator.HeaderName, signature);
        }

        using var response = await factory.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    private static byte[] Encoded(KeyValuePair<string, string>[] form) => new FormUrlEncodedContent(form).ReadAsByteArrayAsync().GetAwaiter().GetResult();

    private async Task AssertUnchangedAsync(string id)
    {
        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Empty(await TransitionsAsync(id));
    }

    [Fact]
    public async Task UnsignedFormWithOver1024Fields_403_NoChange()
    {
        var id = await QueuedMessageAsync(Sid(12));
        KeyValuePair<string, string>[] form = [.. Form(Sid(12), "failed"), .. Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string>("k" + i, "v"))];

        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded", "bm90IGEgc2lnbmF0dXJl"));

        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task SignedFormWithOver1024Fields_ParsedAndApplied()
    {
        // Our own parser has no field limit (the 64 KiB body cap bounds the work); what the signature covers is what counts.
        var id = await QueuedMessageAsync(Sid(13));
        KeyValuePair<string, string>[] form = [.. Form(Sid(13), "delivered"), .. Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string>("k" + i, "v"))];

        Assert.Equal(HttpStatusCode.OK, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded",
            TwilioSigner.Sign(AuthToken, PublicUrl + "?mid=" + id, form)));

        Assert.Equal("delivered", (await StatusAsync(id))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=zzz")]
    [InlineData("multipart/form-data")]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("not a media type")]
    [InlineData(null)]
    public async Task NotUrlEncoded_403_NoChange_EvenWhenTheFormIsSigned(string? contentType)
    {
        var id = await QueuedMessageAsync(Sid(14));
        var form = Form(Sid(14), "failed", "30003");
        var signature = TwilioSigner.Sign(AuthToken, PublicUrl + "?mid=" + id, form);

        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync("?mid=" + id, Encoded(form), contentType, signature));
        Assert.Equal(HttpStatusCode.Forbidden, await PostRawAsync("?mid=" + id, "garbage"u8.ToArray(), contentType));

        await AssertUnchangedAsync(id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOver64KiB_413_NoChange_EvenWhenSigned(bool chunked)
    {
        var id = await QueuedMessageAsync(Sid(15));
        KeyValuePair<string, string>[] form = [.. Form(Sid(15), "failed", "30003"), new("Padding", new string('x', 100 * 1024))];
        var signature = TwilioSigner.Sign(AuthToken, PublicUrl + "?mid=" + id, form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded", signature, chunked));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded", chunked: chunked));

        await AssertUnchangedAsync(id);
    }

    [Fact]
    public async Task SignedFormSentChunked_Applied()
    {
        var id = await QueuedMessageAsync(Sid(16));
        var form = Form(Sid(16), "delivered");

        Assert.Equal(HttpStatusCode.OK, await PostRawAsync("?mid=" + id, Encoded(form), "application/x-www-form-urlencoded; charset=utf-8",
            TwilioSigner.Sign(AuthToken, PublicUrl + "?mid=" + id, form), chunked: true));

        Assert.Equal("delivered", (await StatusAsync(id))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("get", MessageStore.Table)]
    [InlineData("replace", MessageStore.Table)]
    public async Task StorageDown_503_NoChange_TwilioRetrySucceeds(string operation, string table)
    {
        var id = await QueuedMessageAsync(Sid(10));
        var store = factory.Store!;
        store.Fail(operation, table);
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PostAsync("?mid=" + id, Form(Sid(10), "delivered"))).Status);
        }
        finally
        {
            store.Heal();
        }

        Assert.Equal("queued", (await StatusAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("?mid=" + id, Form(Sid(10), "delivered"))).Status);
        Assert.Equal("delivered", (await StatusAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logs_CarryNoNumberNoTokenNoSignature()
    {
        var id = await QueuedMessageAsync(Sid(11));
        await PostAsync("?mid=" + id, Form(Sid(11), "failed", "21610", to: Number));
        await PostAsync("?mid=" + id, Form(Sid(11), "failed", "21610", to: "+12025550187"), "bm90IGEgc2lnbmF0dXJl");
        await PostAsync("?mid=msg_x", Form(Sid(11), "failed", "21610", to: "+12025550187"));

        var logs = string.Join("\n", factory.Logs.Lines);
        Assert.Contains(id, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthToken, logs, StringComparison.Ordinal);
        var digits = Regex.Replace(logs, @"[\s().-]", "");
        foreach (var number in new[] { "2025550123", "2025550187" })
        {
            Assert.DoesNotContain(number, digits, StringComparison.Ordinal);
        }
    }
}
