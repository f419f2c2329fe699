using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Infrastructure.Alerts;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// The channels against loopback receivers: the signed webhook verified by the npm <c>standardwebhooks</c> package (an
/// implementation we did not write), retried on 5xx under one id, stopped by 410, sent once per incident and once per
/// resolution however many scans run; Teams and Slack payload shapes; on-call SMS in the sandbox outbox, to the
/// on-call alias only, within its own daily budget.
/// </summary>
public sealed class AlertChannelTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly DateTimeOffset Hour = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static AlertChannelOptions Options(Uri url) => new() { WebhookUrl = url, TeamsUrl = url, SlackUrl = url, MaxAttempts = 3, FirstRetryDelay = TimeSpan.Zero };

    private static async Task HighCostTrafficAsync(WatchdogRig rig)
    {
        var bucket = new TrafficBucket { Sent = 1, Attempts = 1 };
        bucket.Countries["LV"] = 1;
        await rig.Pipeline.Traffic.WriteAsync("other", Hour, bucket, CancellationToken.None);
    }

    [Fact]
    public async Task Webhook_SignedPerStandardWebhooks_RetriedOn5xx_OnceAlertedOnceResolved()
    {
        await using var receiver = new LoopbackHttpServer(n => n == 1 ? LoopbackReply.Json(503, "{}") : LoopbackReply.Json(200, "{}"));
        using var http = new HttpClient();
        // The real clock: the oracle checks the signed timestamp against its own "now".
        var webhook = new WebhookAlertChannel(http, Options(receiver.BaseUrl), new ConfiguredAlertSecretSource(Secret), TimeProvider.System);
        await using var rig = await WatchdogRig.CreateAsync(null, webhook);
        await HighCostTrafficAsync(rig);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => rig.ScanAsync(Hour + TimeSpan.FromMinutes(5)))));
        await rig.ScanAsync(Hour + TimeSpan.FromMinutes(10));
        await rig.ScanAsync(Hour + TimeSpan.FromMinutes(70)); // within the cooldown: nothing
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => rig.ScanAsync(Hour + TimeSpan.FromMinutes(120)))));

        var posts = receiver.Requests.Where(r => r.Method == "POST").ToList();
        // high_cost_country opened (503, then 200), then resolved: three POSTs, two ids.
        Assert.Equal(3, posts.Count);
        Assert.Equal(Header(posts[0], "webhook-id"), Header(posts[1], "webhook-id"));
        Assert.EndsWith("_open", Header(posts[0], "webhook-id"), StringComparison.Ordinal);
        Assert.EndsWith("_resolved", Header(posts[2], "webhook-id"), StringComparison.Ordinal);

        var opened = JsonNode.Parse(posts[1].Body)!;
        Assert.Equal("watchdog.alert.opened", (string?)opened["type"]);
        Assert.Equal(Header(posts[1], "webhook-id"), (string?)opened["id"]);
        Assert.Equal((WatchdogRule.HighCostCountry, "critical", true), ((string?)opened["data"]!["rule"], (string?)opened["data"]!["severity"], (bool?)opened["data"]!["callerSuspended"]));
        Assert.Equal("watchdog.alert.resolved", (string?)JsonNode.Parse(posts[2].Body)!["type"]);

        var verdicts = await VerifyWithNodeAsync(posts.Select(p => (p.Body, Header(p, "webhook-id"), Header(p, "webhook-timestamp"), Header(p, "webhook-signature")))
            .Append((posts[1].Body.Replace("LV", "LT", StringComparison.Ordinal), Header(posts[1], "webhook-id"), Header(posts[1], "webhook-timestamp"), Header(posts[1], "webhook-signature"))));
        Assert.Equal(["ok", "ok", "ok", "No matching signature found"], verdicts);
    }

    [Theory]
    [InlineData(410, 1)]
    [InlineData(400, 1)]
    [InlineData(500, 3)]
    [InlineData(429, 3)]
    public async Task Webhook_FailureAnswer_StopsOrRetriesUpToTheBound(int status, int expectedPosts)
    {
        await using var receiver = new LoopbackHttpServer(_ => LoopbackReply.Json(status, "{}"));
        using var http = new HttpClient();
        var webhook = new WebhookAlertChannel(http, Options(receiver.BaseUrl), new ConfiguredAlertSecretSource(Secret), TimeProvider.System);
        var alert = new Alert(AlertKind.Opened, WatchdogRule.SmsPumping, "caller:x", "x", "s", new Dictionary<string, string>(), true, true, Hour, Hour);

        await Assert.ThrowsAsync<AlertChannelException>(() => webhook.SendAsync(alert, CancellationToken.None));

        Assert.Equal(expectedPosts, receiver.Posts);
    }

    [Fact]
    public async Task TeamsAndSlack_PostTheirPayloadShapes()
    {
        await using var receiver = new LoopbackHttpServer(_ => LoopbackReply.Json(200, "{}"));
        using var http = new HttpClient();
        var alert = new Alert(AlertKind.Opened, WatchdogRule.SmsPumping, "caller:x", "x", "Caller x shows an SMS-pumping signature.", new Dictionary<string, string> { ["longestAdjacentRun"] = "10" }, true, true, Hour, Hour);

        await new ChatAlertChannel(http, Options(receiver.BaseUrl), TimeProvider.System, ChatKind.Teams).SendAsync(alert, CancellationToken.None);
        await new ChatAlertChannel(http, Options(receiver.BaseUrl), TimeProvider.System, ChatKind.Slack).SendAsync(alert, CancellationToken.None);

        var teams = JsonNode.Parse(receiver.Requests[0].Body)!;
        var card = teams["attachments"]![0]!;
        Assert.Equal(("message", "application/vnd.microsoft.card.adaptive", "AdaptiveCard"), ((string?)teams["type"], (string?)card["contentType"], (string?)card["content"]!["type"]));
        Assert.Contains(card["content"]!["body"]!.AsArray(), b => (string?)b!["type"] == "FactSet" && b["facts"]!.AsArray().Any(f => (string?)f!["title"] == "longestAdjacentRun"));
        var slack = JsonNode.Parse(receiver.Requests[1].Body)!;
        Assert.Contains("sms_pumping", (string?)slack["text"], StringComparison.Ordinal);
        Assert.Equal(["header", "section", "section"], slack["blocks"]!.AsArray().Select(b => (string?)b!["type"]));
    }

    [Fact]
    public async Task OnCallSms_LandsInTheSandboxOutbox_ToTheOnCallAliasOnly_WithinItsBudget()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        var sms = OnCallChannel(rig);
        var alert = OnCallAlert();

        for (var i = 0; i < 3; i++)
        {
            await sms.SendAsync(alert, CancellationToken.None);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => sms.SendAsync(alert, CancellationToken.None));
        var lines = rig.Pipeline.Outbox().Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal("+12025550199", l.GetProperty("to").GetString()));
        Assert.All(lines, l => Assert.StartsWith("SmsMcp watchdog [critical] sms_pumping", l.GetProperty("body").GetString(), StringComparison.Ordinal));

        // Each text was audited like any send: one record, completed as accepted, under the watchdog, with no raw number.
        var records = (await rig.Pipeline.AuditAsync()).Where(r => r.Tool == OnCallSmsChannel.AuditTool).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(("watchdog", AuditDecision.Accepted, AuditStage.Completed), (r.CallerId, r.Decision, r.Stage)));
        Assert.Equal(lines.Select(l => l.GetProperty("message_id").GetString()).Order(), records.Select(r => r.MessageId).Order());
        Assert.All(records, r => Assert.Equal(rig.Pipeline.Pseudonymizer.Recipient("+12025550199"), r.RecipientRef));
    }

    [Fact]
    public async Task OnCallSms_AuditUnavailable_NothingSent()
    {
        await using var rig = await WatchdogRig.CreateAsync();
        rig.Pipeline.Store.Fail("insert", AuditLog.Table);
        await Assert.ThrowsAnyAsync<StorageException>(() => OnCallChannel(rig).SendAsync(OnCallAlert(), CancellationToken.None));
        Assert.Empty(rig.Pipeline.Outbox());
    }

    private static OnCallSmsChannel OnCallChannel(WatchdogRig rig) =>
        new(rig.Policy, rig.Pipeline.Sandbox, rig.State, rig.Pipeline.Audit, rig.Pipeline.Pseudonymizer, rig.Pipeline.Clock);

    private static Alert OnCallAlert() =>
        new(AlertKind.Opened, WatchdogRule.SmsPumping, "caller:x", "x", "s", new Dictionary<string, string>(), true, true, Hour, Hour);

    private static string Header(LoopbackRequest request, string name) =>
        request.Headers.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Each case through <c>new Webhook(secret).verify(body, headers)</c> of the npm package: "ok" or its error.</summary>
    private static async Task<IReadOnlyList<string>> VerifyWithNodeAsync(IEnumerable<(string Body, string Id, string Timestamp, string Signature)> cases)
    {
        // Node resolves require("standardwebhooks") from the peers' node_modules.
        Peers.Package("standardwebhooks");
        const string script = """
            const { Webhook } = require("standardwebhooks");
            let input = ""; process.stdin.on("data", d => input += d).on("end", () => {
              const { secret, cases } = JSON.parse(input);
              const wh = new Webhook(secret);
              console.log(JSON.stringify(cases.map(c => { try { wh.verify(c.body, { "webhook-id": c.id, "webhook-timestamp": c.timestamp, "webhook-signature": c.signature }); return "ok"; } catch (e) { return e.message; } })));
            });
            """;
        var start = new ProcessStartInfo(Peers.Node, ["-e", script]) { WorkingDirectory = RepositoryPaths.Peers, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new { secret = Secret, cases = cases.Select(c => new { body = c.Body, id = c.Id, timestamp = c.Timestamp, signature = c.Signature }) }));
        node.StandardInput.Close();
        var stdout = await node.StandardOutput.ReadToEndAsync();
        var stderr = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, stderr);
        return JsonSerializer.Deserialize<string[]>(stdout)!;
    }
}
