using System.Text;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;

namespace SmsMcp.Core.Tests.Providers.Twilio;

/// <summary>
/// Whatever goes wrong, the Twilio provider's log lines (at Trace, including HttpClient's) and the exceptions it
/// throws name no credential, no phone number and no message body.
/// </summary>
[Collection(LoopbackNetworkCollection.Name)]
public sealed class TwilioLogOutputTests
{
    [Fact]
    public async Task EveryFailureMode_LogsAndExceptionsCarryNoSecretNumberOrBody()
    {
        var texts = new List<string>();
        var replies = new Func<int, LoopbackReply>[]
        {
            _ => LoopbackReply.Created(),
            _ => LoopbackReply.Error(400, 21610),
            n => n == 1 ? LoopbackReply.Error(429, 20429) : LoopbackReply.Created(),
            _ => LoopbackReply.Json(500, """{"code":20500,"message":"Error for +12025550123"}"""),
            _ => LoopbackReply.Reset,
            _ => LoopbackReply.Hang,
            _ => LoopbackReply.Json(401, """{"code":20003,"message":"Authenticate"}"""),

            // Not Twilio's JSON: the SDK puts such a body into its exception message.
            _ => LoopbackReply.Json(502, "<html>upstream failed for +12025550123</html>"),
            _ => LoopbackReply.Json(201, "{not json, to +12025550123"),
        };
        foreach (var reply in replies)
        {
            await using var fake = new LoopbackHttpServer(reply);
            await using var h = new TwilioHarness(fake.BaseUrl, new Dictionary<string, string?>
            {
                ["Sms:Twilio:RequestTimeout"] = "00:00:00.300",
                ["Sms:Twilio:ConnectTimeout"] = "00:00:00.200",
            });
            texts.Add(await CaptureAsync(() => h.SendAsync()));
            texts.Add(await CaptureAsync(() => h.Client.LookupAsync(TwilioHarness.To, CancellationToken.None)));
            texts.Add(await CaptureAsync(() => h.Client.FetchMessageAsync("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", CancellationToken.None)));
            texts.AddRange(h.Logs.Lines);
        }

        await using (var refused = new TwilioHarness(new Uri("http://127.0.0.1:9")))
        {
            texts.Add(await CaptureAsync(() => refused.SendAsync()));
            texts.Add(await CaptureAsync(() => refused.Client.LookupAsync(TwilioHarness.To, CancellationToken.None)));
            texts.AddRange(refused.Logs.Lines);
        }

        Assert.Contains(texts, t => t.Contains("Twilio", StringComparison.Ordinal));
        var forbidden = new[]
        {
            TwilioHarness.ApiKeySecret,
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TwilioHarness.ApiKeySid}:{TwilioHarness.ApiKeySecret}")),
            "2025550123",
            "%2B1202",
            TwilioHarness.Body,
            "8841-QX",
        };
        foreach (var text in texts)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"Leaked '{secret}' in: {text}");
            }
        }
    }

    private static async Task<string> CaptureAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return (await action())?.ToString() ?? "";
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }
}
