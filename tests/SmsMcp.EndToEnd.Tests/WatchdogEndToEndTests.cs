using System.Text.Json;
using ModelContextProtocol.Protocol;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The standalone server under a scripted SMS-pumping burst from the official C# SDK client: its own in-process schedule
/// (the anomaly scan overridden to every two seconds, so the test does not wait five minutes) raises the alert into the
/// local alert file and suspends the caller, whose next send is refused, with no operator action.
/// </summary>
public sealed class WatchdogEndToEndTests
{
    private static readonly TimeSpan AlertDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PumpingBurst_ScheduledScanRaisesTheAlert_AndSuspendsTheCaller()
    {
        var cancellationToken = CancellationToken.None;
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Schedule__Enabled"] = "true",
            ["Schedule__Schedules__anomaly-scan"] = "*/2 * * * * *",
            ["Schedule__Jobs__reconcile-status"] = "false",
        });
        await using var client = await OperatorClient.ConnectAgentAsync(server, "e2e-watchdog", cancellationToken);
        var sent = 0;
        for (var ending = 0; ending < 10; ending++)
        {
            // A scan may land mid-burst and suspend the caller already: from then on every send is refused.
            var result = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = $"+120255501{40 + ending}", ["body"] = "burst" }, cancellationToken: cancellationToken);
            if (result.IsError == true)
            {
                Assert.StartsWith("sending_disabled: ", result.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
                break;
            }

            sent++;
        }

        Assert.True(sent >= 3, $"only {sent} burst sends went out before the suspension");
        var alertFile = Path.Combine(server.DataDirectory, "watchdog-alerts.jsonl");
        var pumping = await WaitForAlertAsync(alertFile, "sms_pumping");
        Assert.Equal(("watchdog.alert.opened", "dev", true), (pumping.GetProperty("type").GetString(), pumping.GetProperty("data").GetProperty("callerId").GetString(), pumping.GetProperty("data").GetProperty("callerSuspended").GetBoolean()));
        Assert.DoesNotContain("+1202", File.ReadAllText(alertFile), StringComparison.Ordinal);

        var before = server.OutboxLines().Count;
        Assert.Equal(sent, before);
        var refused = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "after" }, cancellationToken: cancellationToken);
        Assert.True(refused.IsError);
        Assert.StartsWith("sending_disabled: ", refused.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
        Assert.Equal(before, server.OutboxLines().Count);
    }

    /// <summary>Polls the alert file the server process writes (another process: there is nothing to await on).</summary>
    private static async Task<JsonElement> WaitForAlertAsync(string path, string rule)
    {
        var deadline = DateTime.UtcNow + AlertDeadline;
        while (true)
        {
            if (File.Exists(path))
            {
                var lines = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);
                var opened = lines.Where(a => a.GetProperty("data").GetProperty("rule").GetString() == rule).ToList();
                if (opened.Count > 0)
                {
                    return Assert.Single(opened);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {rule} alert within {AlertDeadline.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
