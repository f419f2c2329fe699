using System.Net;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SmsMcp.Core.Audit;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Hostile bodies and operator typos against the real server in local mode, through the official C# SDK client: a
/// refused send leaves nothing in the sandbox outbox and exactly one audit record; what must pass still sends.
/// </summary>
public sealed class HostileInputEndToEndTests(AuditedServerFixture fixture) : IClassFixture<AuditedServerFixture>
{
    public static TheoryData<string, string> HostileBodies => new()
    {
        // item 1 of issue 11: links glued to what stands before them
        { "Link:https://evil.example/login", "url_not_allowed" },
        { "Your parcel: “bit.ly/abc” today", "url_shortener" },
        { "see x/192.168.0.1 now", "url_ip_literal" },
        { "Sign in [https://bank.example@evil.example]", "url_userinfo" },
        { "Hi 😀https://evil.example", "url_not_allowed" },
        { "Update—evil.example/login", "url_not_allowed" },
        { "Login：evil.example", "url_not_allowed" },
        { "go url=https://evil.example", "url_not_allowed" },
        { "open /evil.example/x", "url_not_allowed" },
        { "open \\\\evil.example", "url_not_allowed" },
        { "tag #evil.example", "url_not_allowed" },
        { "ask ?evil.example", "url_not_allowed" },
        { "Call tel:+12025550123", "url_not_allowed" },
        { "Text sms:+12025550123", "url_not_allowed" },
        // item 2: variation selectors outside an emoji sequence
        { "Hi\uFE01 there", "invisible_characters" },
        { "ok\uFE00\uFE01\uFE02\uFE03\uFE04\uFE05 done", "invisible_characters" },
        { "Hi \U000E0101there", "invisible_characters" },
    };

    private static Dictionary<string, object?> Send(string body) => new() { ["to"] = "demo", ["body"] = body };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_RefusedWithItsCode_NothingInTheOutbox_OneAuditRecord(string body, string code)
    {
        await using var client = await OperatorClient.ConnectAgentAsync(fixture.Server, "e2e-hostile", CancellationToken.None);
        var outbox = fixture.Server.OutboxLines().Count;
        var audit = (await fixture.AuditAsync()).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        var preview = await client.CallToolAsync("preview_sms", Send(body));
        var sent = await client.CallToolAsync("send_sms", Send(body));

        Assert.Contains(code, preview.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
        Assert.True(sent.IsError);
        Assert.StartsWith(code + ": ", sent.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
        Assert.Equal(outbox, fixture.Server.OutboxLines().Count);
        var added = Assert.Single(await fixture.AuditAsync(), r => !audit.Contains(r.Id) && r.Tool == "send_sms");
        Assert.Equal((AuditDecision.Denied, code), (added.Decision, added.ReasonCode));
    }

    [Theory]
    [InlineData("I ❤️ you, 1️⃣ first")]
    [InlineData("Family 👨‍👩‍👧 and 🏳️‍🌈")]
    public async Task EmojiWithPresentationSelector_IsSent(string body)
    {
        await using var client = await OperatorClient.ConnectAgentAsync(fixture.Server, "e2e-hostile", CancellationToken.None);
        var outbox = fixture.Server.OutboxLines().Count;

        var sent = await client.CallToolAsync("send_sms", Send(body));

        Assert.NotEqual(true, sent.IsError);
        Assert.Equal(outbox + 1, fixture.Server.OutboxLines().Count);
    }

    [Theory]
    [InlineData("callers/DEV/kill-switch")]
    [InlineData("callers/Dev/dry-run")]
    [InlineData("callers/nobody/kill-switch")]
    public async Task KillSwitchForACallerIdNotInThePolicy_Is404_AndDevKeepsSendingAsBefore(string path)
    {
        using var http = new HttpClient();
        using var request = OperatorClient.Request(fixture.Server, HttpMethod.Put, path, "{\"engaged\":true}");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("dev", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var read = OperatorClient.Request(fixture.Server, HttpMethod.Get, "callers/dev/kill-switch");
        using var state = await http.SendAsync(read);
        Assert.Contains("\"engaged\":false", await state.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
