using System.Text.RegularExpressions;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Security;

/// <summary>
/// Security invariant 3: a session of sends and refusals, every log line captured at Trace level, and not one
/// line carries an API key, a raw phone number (in any spelling) or message text.
/// </summary>
public sealed class LogScanTests
{
    private static readonly string[] Bodies =
    [
        "Secret rendezvous at the old mill 7pm",
        "Your verification code is 918273",
        "Pay now: https://evil.example/phish",
        "😀 unicode body with émoji",
    ];

    [Fact]
    public async Task SessionOfSendsAndRefusals_LeaksNoKeyNumberOrBody()
    {
        using var factory = new SmsMcpFactory();
        var client = factory.CreateClient();

        var targets = new[] { "demo", "+12025550123", "+12025550187", "+442079460958", "+1 (202) 555-0123", "12025550199", "unknown-alias" };
        foreach (var to in targets)
        {
            foreach (var body in Bodies)
            {
                await McpJsonRpc.CallToolAsync(client, "send_sms", new { to, body }, SmsMcpFactory.ApiKey);
                await McpJsonRpc.CallToolAsync(client, "preview_sms", new { to, body }, SmsMcpFactory.ApiKey);
            }
        }

        await McpJsonRpc.CallToolAsync(client, "send_sms", new { to = "demo", body = Bodies[0], idempotency_key = "scan-1" }, SmsMcpFactory.ApiKey);
        await McpJsonRpc.CallToolAsync(client, "send_sms", new { to = "demo", body = Bodies[1], idempotency_key = "scan-1" }, SmsMcpFactory.ApiKey);
        await McpJsonRpc.CallToolAsync(client, "send_sms", new { to = "demo", body = Bodies[1], from = "+15005550006" }, SmsMcpFactory.ApiKey);
        await McpJsonRpc.CallToolAsync(client, "list_recipients", new { }, SmsMcpFactory.ApiKey);
        using (await client.SendAsync(McpJsonRpc.Post(McpJsonRpc.CallTool("send_sms", new { to = "demo", body = Bodies[2] }), apiKey: "wrong-key-but-long-enough-0000000000")))
        {
        }

        var logs = string.Join("\n", factory.Logs.Lines);
        Assert.Contains("accepted by sandbox", logs, StringComparison.Ordinal);

        Assert.DoesNotContain(SmsMcpFactory.ApiKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-but-long-enough", logs, StringComparison.Ordinal);
        foreach (var body in Bodies)
        {
            Assert.DoesNotContain(body, logs, StringComparison.Ordinal);
            foreach (var word in body.Split(' ').Where(w => w.Length >= 6))
            {
                Assert.DoesNotContain(word, logs, StringComparison.Ordinal);
            }
        }

        // Numbers spelled with separators ("202 555-0123", "(202) 555.0123") count too.
        var digits = Regex.Replace(logs, @"[\s().-]", "");
        foreach (var number in new[] { "2025550123", "2025550187", "2079460958", "2025550199" })
        {
            Assert.DoesNotContain(number, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(number, digits, StringComparison.Ordinal);
        }
    }
}
