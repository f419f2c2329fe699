using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The standalone server under a scripted SMS-pumping burst from the official C# SDK client: the anomaly scan — fired
/// the way the Functions host fires the timer (POST /anomaly-scan), so the test does not wait five minutes for the
/// in-process schedule — raises the alert into the local alert file and suspends the caller, whose next send is
/// refused, with no operator action.
/// </summary>
public sealed class WatchdogEndToEndTests
{
    [Fact]
    public async Task PumpingBurst_ScanRaisesTheAlert_AndSuspendsTheCaller()
    {
        var cancellationToken = CancellationToken.None;
        await using var server = await ServerProcess.StartAsync();
        await using var client = await OperatorClient.ConnectAgentAsync(server, "e2e-watchdog", cancellationToken);
        for (var ending = 0; ending < 10; ending++)
        {
            var sent = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = $"+120255501{40 + ending}", ["body"] = "burst" }, cancellationToken: cancellationToken);
            Assert.NotEqual(true, sent.IsError);
        }

        using var http = new HttpClient();
        using var scan = await http.PostAsync(new Uri(server.McpUrl, "/anomaly-scan"), new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", Encoding.UTF8, "application/json"), cancellationToken);
        Assert.True(scan.IsSuccessStatusCode, await scan.Content.ReadAsStringAsync(cancellationToken));

        var alerts = File.ReadAllLines(Path.Combine(server.DataDirectory, "watchdog-alerts.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var pumping = Assert.Single(alerts, a => a.GetProperty("data").GetProperty("rule").GetString() == "sms_pumping");
        Assert.Equal(("watchdog.alert.opened", "dev", true), (pumping.GetProperty("type").GetString(), pumping.GetProperty("data").GetProperty("callerId").GetString(), pumping.GetProperty("data").GetProperty("callerSuspended").GetBoolean()));
        Assert.DoesNotContain("+1202", string.Concat(alerts.Select(a => a.GetRawText())), StringComparison.Ordinal);

        var before = server.OutboxLines().Count;
        var refused = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "after" }, cancellationToken: cancellationToken);
        Assert.True(refused.IsError);
        Assert.StartsWith("sending_disabled: ", refused.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
        Assert.Equal(before, server.OutboxLines().Count);
    }
}
