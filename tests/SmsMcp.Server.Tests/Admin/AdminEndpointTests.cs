using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Admin;

/// <summary>
/// The operator endpoint: a separate key set (MCP keys refused here, admin keys refused on /mcp), the kill switch
/// global and per caller, each change audited, effective on the next send.
/// </summary>
public sealed class AdminEndpointTests(AdminFactory factory) : IClassFixture<AdminFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Routes() => new()
    {
        { "GET", "/admin/kill-switch" },
        { "PUT", "/admin/kill-switch" },
        { "GET", "/admin/callers/dev/kill-switch" },
        { "PUT", "/admin/callers/dev/kill-switch" },
        { "GET", "/admin/dry-run" },
        { "PUT", "/admin/dry-run" },
        { "GET", "/admin/callers/dev/dry-run" },
        { "PUT", "/admin/callers/dev/dry-run" },
        { "GET", "/admin/approvals" },
        { "GET", "/admin/usage" },
        { "GET", "/admin/approvals/msg_00000000000000000000000000000000" },
        { "POST", "/admin/approvals/msg_00000000000000000000000000000000/approve" },
        { "POST", "/admin/approvals/msg_00000000000000000000000000000000/deny" },
        { "GET", "/admin/no-such-route" },
    };

    private async Task<IReadOnlyList<AuditRecord>> AuditTodayAsync() =>
        await factory.Services.GetRequiredService<AuditLog>().ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);

    private async Task<JsonNode> SendDemoAsync() =>
        await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = "admin test" }, SmsMcpFactory.ApiKey);

    [Fact]
    public async Task Usage_ListsEveryPolicyCaller_WithWhatGetUsageShowsIt()
    {
        using var first = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, "/admin/usage"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var callers = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray();
        var policy = factory.Services.GetRequiredService<SmsMcp.Core.Policy.SendPolicy>();
        Assert.Equal(policy.Callers.Keys.Order(StringComparer.Ordinal), callers.Select(c => c!["caller_id"]!.GetValue<string>()));
        var before = callers.Single(c => c!["caller_id"]!.GetValue<string>() == "dev")!["usage"]!["today"]!;

        Assert.False(McpJsonRpc.IsError(await SendDemoAsync()));

        using var after = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, "/admin/usage"));
        var dev = JsonNode.Parse(await after.Content.ReadAsStringAsync())!.AsArray().Single(c => c!["caller_id"]!.GetValue<string>() == "dev")!;
        var today = dev["usage"]!["today"]!;
        var own = (await McpJsonRpc.CallToolAsync(_client, "get_usage", new { }, SmsMcpFactory.ApiKey))["structuredContent"]!["today"]!;

        // A UTC midnight between the reads starts a new day: the send then counts in one day or the other, never twice.
        var sameDay = today["period"]!.GetValue<string>() == before["period"]!.GetValue<string>();
        if (sameDay)
        {
            Assert.Equal(before["messages"]!.GetValue<long>() + 1, today["messages"]!.GetValue<long>());
        }
        else
        {
            Assert.InRange(today["messages"]!.GetValue<long>(), 0, 1);
        }

        if (own["period"]!.GetValue<string>() == today["period"]!.GetValue<string>())
        {
            Assert.Equal(own.ToJsonString(), today.ToJsonString());
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRoute_WithoutKeyOrWithAWrongOne_Is401(string method, string path)
    {
        foreach (var key in new[] { null, "wrong-admin-key-0123456789abcdefghij", SmsMcpFactory.ApiKey })
        {
            using var response = await _client.SendAsync(AdminHttp.Request(new HttpMethod(method), path, key, method == "PUT" ? "{\"engaged\":true}" : null));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.False(await factory.Services.GetRequiredService<RuntimeControls>().IsSendingDisabledAsync("dev", CancellationToken.None));
        Assert.False(await factory.Services.GetRequiredService<RuntimeControls>().IsDryRunAsync("dev", CancellationToken.None));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"engaged\":\"yes\"}")]
    [InlineData("")]
    public async Task UnauthenticatedMalformedBody_Is401_NeverParsed(string json)
    {
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Put, "/admin/kill-switch", key: null, json: json));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OversizeBody_Is413_AndChangesNothing()
    {
        var json = "{\"engaged\":true," + new string(' ', 64 * 1024) + "}";
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Put, "/admin/kill-switch", json: json));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(await factory.Services.GetRequiredService<RuntimeControls>().IsSendingDisabledAsync("dev", CancellationToken.None));
    }

    [Fact]
    public async Task AdminKey_IsRefusedOnMcp()
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), apiKey: AdminFactory.AdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ForeignHostOrOrigin_Is403EvenWithTheKey()
    {
        using var host = AdminHttp.Request(HttpMethod.Get, "/admin/kill-switch");
        host.Headers.Host = "evil.example";
        using var hostResponse = await _client.SendAsync(host);
        Assert.Equal(HttpStatusCode.Forbidden, hostResponse.StatusCode);

        using var origin = AdminHttp.Request(HttpMethod.Get, "/admin/kill-switch");
        origin.Headers.Add("Origin", "https://evil.example");
        using var originResponse = await _client.SendAsync(origin);
        Assert.Equal(HttpStatusCode.Forbidden, originResponse.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_WithTheKey_Is404()
    {
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, "/admin/kill-switch"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/admin/kill-switch", "{}")]
    [InlineData("/admin/kill-switch", "{\"engaged\":\"yes\"}")]
    [InlineData("/admin/callers/bad%20id/kill-switch", "{\"engaged\":true}")]
    public async Task MalformedChange_Is400_AndChangesNothing(string path, string json)
    {
        var before = (await AuditTodayAsync()).Count(r => r.Tool == RuntimeControls.KillSwitchTool);
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Put, path, json: json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await AuditTodayAsync()).Count(r => r.Tool == RuntimeControls.KillSwitchTool));
    }

    [Theory]
    [InlineData("GET", "/admin/callers/DEV/kill-switch")]
    [InlineData("PUT", "/admin/callers/DEV/kill-switch")]
    [InlineData("PUT", "/admin/callers/Dev/dry-run")]
    [InlineData("GET", "/admin/callers/nobody/dry-run")]
    [InlineData("PUT", "/admin/callers/nobody/kill-switch")]
    public async Task CallerNotInThePolicy_Is404NamingNothing_AndChangesNothing(string method, string path)
    {
        var before = (await AuditTodayAsync()).Count(r => r.Tool is RuntimeControls.KillSwitchTool or RuntimeControls.DryRunTool);

        using var response = await _client.SendAsync(AdminHttp.Request(new HttpMethod(method), path, json: method == "PUT" ? "{\"engaged\":true}" : null));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var detail in new[] { "dev", "demo", "profile", "engaged" })
        {
            Assert.DoesNotContain(detail, text, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await AuditTodayAsync()).Count(r => r.Tool is RuntimeControls.KillSwitchTool or RuntimeControls.DryRunTool));
        var controls = factory.Services.GetRequiredService<RuntimeControls>();
        Assert.False(await controls.IsSendingDisabledAsync("dev", CancellationToken.None));
        Assert.False(await controls.IsDryRunAsync("dev", CancellationToken.None));
        Assert.Equal("delivered", (await SendDemoAsync())["structuredContent"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GlobalKillSwitch_RefusesTheNextSend_AuditedAsTheOperator_ThenReleases()
    {
        using (var engage = await _client.SendAsync(AdminHttp.Engage("/admin/kill-switch", engaged: true)))
        {
            Assert.Equal(HttpStatusCode.OK, engage.StatusCode);
            var state = JsonNode.Parse(await engage.Content.ReadAsStringAsync())!;
            Assert.True(state["engaged"]!.GetValue<bool>());
            Assert.Equal("admin:" + AdminFactory.OperatorId, state["changed_by"]!.GetValue<string>());
            Assert.Null(state["caller_id"]);
        }

        try
        {
            var before = factory.OutboxLines().Count;
            var refused = await SendDemoAsync();
            Assert.True(McpJsonRpc.IsError(refused));
            Assert.StartsWith(ReasonCodes.SendingDisabled + ": ", McpJsonRpc.Text(refused), StringComparison.Ordinal);
            Assert.Equal(before, factory.OutboxLines().Count);

            using var read = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, "/admin/kill-switch"));
            Assert.True(JsonNode.Parse(await read.Content.ReadAsStringAsync())!["engaged"]!.GetValue<bool>());
        }
        finally
        {
            using var release = await _client.SendAsync(AdminHttp.Engage("/admin/kill-switch", engaged: false));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        Assert.False(McpJsonRpc.IsError(await SendDemoAsync()));
        var changes = (await AuditTodayAsync()).Where(r => r.Tool == RuntimeControls.KillSwitchTool && r.MessageId == "global").ToList();
        Assert.Contains(changes, r => r.ReasonCode == RuntimeControls.KillSwitchEngaged && r.CallerId == "admin:" + AdminFactory.OperatorId);
        Assert.Contains(changes, r => r.ReasonCode == RuntimeControls.KillSwitchReleased && r.CallerId == "admin:" + AdminFactory.OperatorId);
    }

    [Fact]
    public async Task CallerKillSwitch_RefusesThatCaller_Audited()
    {
        using (var engage = await _client.SendAsync(AdminHttp.Engage("/admin/callers/dev/kill-switch", engaged: true)))
        {
            Assert.Equal(HttpStatusCode.OK, engage.StatusCode);
            Assert.Equal("dev", JsonNode.Parse(await engage.Content.ReadAsStringAsync())!["caller_id"]!.GetValue<string>());
        }

        try
        {
            var before = factory.OutboxLines().Count;
            var refused = await SendDemoAsync();
            Assert.StartsWith(ReasonCodes.SendingDisabled + ": ", McpJsonRpc.Text(refused), StringComparison.Ordinal);
            Assert.Equal(before, factory.OutboxLines().Count);
            Assert.False(await factory.Services.GetRequiredService<RuntimeControls>().IsSendingDisabledAsync("someone-else", CancellationToken.None));
        }
        finally
        {
            using var release = await _client.SendAsync(AdminHttp.Engage("/admin/callers/dev/kill-switch", engaged: false));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        Assert.Contains(await AuditTodayAsync(), r => r.Tool == RuntimeControls.KillSwitchTool && r.MessageId == "caller:dev"
            && r.ReasonCode == RuntimeControls.KillSwitchEngaged && r.CallerId == "admin:" + AdminFactory.OperatorId);
    }

    [Theory]
    [InlineData("/admin/dry-run", "global")]
    [InlineData("/admin/callers/dev/dry-run", "caller:dev")]
    public async Task DryRun_SendIsEvaluatedAndAudited_NothingSent(string path, string row)
    {
        using (var engage = await _client.SendAsync(AdminHttp.Engage(path, engaged: true)))
        {
            Assert.Equal(HttpStatusCode.OK, engage.StatusCode);
            Assert.Equal("dry_run", JsonNode.Parse(await engage.Content.ReadAsStringAsync())!["control"]!.GetValue<string>());
        }

        string messageId;
        try
        {
            var before = factory.OutboxLines().Count;
            var result = await SendDemoAsync();
            Assert.False(McpJsonRpc.IsError(result));
            var structured = result["structuredContent"]!;
            Assert.True(structured["dry_run"]!.GetValue<bool>());
            Assert.Equal("dry_run", structured["status"]!.GetValue<string>());
            messageId = structured["message_id"]!.GetValue<string>();
            Assert.Equal(before, factory.OutboxLines().Count);

            var refused = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "+447700900123", body = "hi" }, SmsMcpFactory.ApiKey);
            Assert.True(McpJsonRpc.IsError(refused));
        }
        finally
        {
            using var release = await _client.SendAsync(AdminHttp.Engage(path, engaged: false));
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        var audit = await AuditTodayAsync();
        Assert.Contains(audit, r => r.Tool == "send_sms" && r.MessageId == messageId && r.ReasonCode == ReasonCodes.DryRun && r.Decision == AuditDecision.Accepted);
        Assert.Contains(audit, r => r.Tool == RuntimeControls.DryRunTool && r.MessageId == row && r.ReasonCode == RuntimeControls.DryRunEngaged
            && r.CallerId == "admin:" + AdminFactory.OperatorId);
        Assert.Contains(audit, r => r.Tool == RuntimeControls.DryRunTool && r.MessageId == row && r.ReasonCode == RuntimeControls.DryRunReleased);

        var real = await SendDemoAsync();
        Assert.False(real["structuredContent"]!["dry_run"]!.GetValue<bool>());
    }
}
