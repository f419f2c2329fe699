using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>The five tools over HTTP: schemas, results, refusals, audit and outbox effects.</summary>
public sealed class ToolTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<IReadOnlyList<AuditRecord>> AuditTodayAsync()
    {
        var audit = factory.Services.GetRequiredService<AuditLog>();
        return await audit.ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
    }

    [Fact]
    public async Task ToolsList_HasTheFixedSurfaceWithStrictSchemasAndHints()
    {
        var message = await McpJsonRpc.SendAsync(_client, McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey);
        var tools = message["result"]!["tools"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!);
        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"], tools.Keys.Order().ToArray());
        foreach (var tool in tools.Values)
        {
            Assert.False(tool!["inputSchema"]!["additionalProperties"]!.GetValue<bool>());
            Assert.Equal("object", tool["outputSchema"]!["type"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(tool["description"]!.GetValue<string>()));
            foreach (var property in tool["inputSchema"]!["properties"]!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(property.Value!["description"]?.GetValue<string>()), $"{tool["name"]}.{property.Key} has no description");
            }
        }

        var send = tools["send_sms"]!;
        Assert.Equal(["body", "to"], send["inputSchema"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order().ToArray());
        Assert.True(send["inputSchema"]!["properties"]!.AsObject().ContainsKey("idempotency_key"));
        Assert.True(send["annotations"]!["openWorldHint"]!.GetValue<bool>());
        Assert.False(send["annotations"]!["readOnlyHint"]!.GetValue<bool>());
        Assert.False(send["annotations"]!["idempotentHint"]!.GetValue<bool>());
        Assert.True(tools["preview_sms"]!["annotations"]!["readOnlyHint"]!.GetValue<bool>());
        Assert.True(tools["list_recipients"]!["annotations"]!["readOnlyHint"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendToDemo_SendsOnceThroughSandbox_AndAudits()
    {
        var before = factory.OutboxLines().Count;
        var result = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = "Hello from the tool test" }, SmsMcpFactory.ApiKey);

        Assert.False(McpJsonRpc.IsError(result), McpJsonRpc.Text(result));
        var structured = result["structuredContent"]!;
        var messageId = structured["message_id"]!.GetValue<string>();
        Assert.StartsWith("msg_", messageId, StringComparison.Ordinal);
        Assert.Equal("delivered", structured["status"]!.GetValue<string>());
        Assert.Equal(1, structured["segments"]!.GetValue<int>());
        Assert.Equal("gsm7", structured["encoding"]!.GetValue<string>());
        Assert.DoesNotContain("2025550123", structured["to"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(JsonNode.Parse(McpJsonRpc.Text(result))!.ToJsonString(), structured.ToJsonString());

        var lines = factory.OutboxLines();
        Assert.Equal(before + 1, lines.Count);
        var line = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal("+12025550123", line.GetProperty("to").GetString());
        Assert.Equal("Hello from the tool test", line.GetProperty("body").GetString());
        Assert.Equal(messageId, line.GetProperty("message_id").GetString());

        var record = Assert.Single(await AuditTodayAsync(), r => r.MessageId == messageId);
        Assert.Equal(AuditStage.Completed, record.Stage);
        Assert.Equal(AuditDecision.Accepted, record.Decision);
        Assert.Equal("dev", record.CallerId);
        Assert.Equal("Hello from the tool test".Length, record.BodyLength);
        Assert.StartsWith("r_", record.RecipientRef, StringComparison.Ordinal);
        Assert.Matches("^sha256:[0-9a-f]{64}$", record.PolicyVersion);
    }

    [Theory]
    [InlineData("+1 202 555 0123", ReasonCodes.InvalidNumber)]
    [InlineData("12025550123", ReasonCodes.InvalidNumber)]
    [InlineData("+1202555012", ReasonCodes.InvalidNumber)]
    [InlineData("+44 20 7946 0958", ReasonCodes.InvalidNumber)]
    [InlineData("+12025550123x12", ReasonCodes.InvalidNumber)]
    [InlineData("+442079460958", ReasonCodes.CountryNotAllowed)]
    [InlineData("+12025550200", ReasonCodes.RecipientNotAllowed)]
    [InlineData("mom", ReasonCodes.RecipientNotAllowed)]
    [InlineData("de mo", ReasonCodes.InvalidRecipient)]
    [InlineData("", ReasonCodes.InvalidRecipient)]
    public async Task BadRecipient_IsRefusedWithReason_NothingSent_OneAuditRecord(string to, string reason)
    {
        var body = "refusal probe " + Guid.NewGuid().ToString("N");
        var before = factory.OutboxLines().Count;
        var auditBefore = (await AuditTodayAsync()).Count;

        var result = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to, body }, SmsMcpFactory.ApiKey);

        Assert.True(McpJsonRpc.IsError(result));
        Assert.StartsWith(reason + ": ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
        var added = (await AuditTodayAsync()).Skip(auditBefore).ToList();
        var record = Assert.Single(added);
        Assert.Equal(AuditDecision.Denied, record.Decision);
        Assert.Equal(reason, record.ReasonCode);
        Assert.Equal(body.Length, record.BodyLength);
    }

    [Theory]
    [InlineData("", ReasonCodes.EmptyBody)]
    [InlineData(null, ReasonCodes.BodyTooLong)]
    public async Task BadBody_IsRefused_NothingSent(string? body, string reason)
    {
        body ??= new string('x', SendLimits.MaxBodyLength + 1);
        var before = factory.OutboxLines().Count;
        var result = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body }, SmsMcpFactory.ApiKey);
        Assert.True(McpJsonRpc.IsError(result));
        Assert.StartsWith(reason + ": ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task UnknownTool_IsProtocolError()
    {
        var message = await McpJsonRpc.SendAsync(_client, McpJsonRpc.CallTool("send_mms", new { to = "demo", body = "x" }), SmsMcpFactory.ApiKey);
        Assert.Equal(-32602, message["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"to\":\"demo\",\"body\":\"hi\",\"from\":\"+15550000000\"}", "Unknown argument 'from'")]
    [InlineData("{\"to\":\"demo\",\"body\":\"hi\",\"status_callback\":\"https://evil.example\"}", "Unknown argument 'status_callback'")]
    [InlineData("{\"to\":\"demo\"}", "Missing required argument for send_sms: body")]
    [InlineData("{\"to\":12025550123,\"body\":\"hi\"}", "Argument 'to' of send_sms must be a string")]
    [InlineData("{\"to\":\"demo\",\"body\":[\"hi\"]}", "Argument 'body' of send_sms must be a string")]
    public async Task InvalidArguments_AreToolErrors_NothingSent(string arguments, string expected)
    {
        var before = factory.OutboxLines().Count;
        var json = $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"send_sms\",\"arguments\":{arguments}}}}}";
        var result = (await McpJsonRpc.SendAsync(_client, json, SmsMcpFactory.ApiKey))["result"]!;
        Assert.True(McpJsonRpc.IsError(result));
        Assert.Contains(expected, McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.StartsWith("invalid_arguments: ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task Preview_ReportsDecisionSegmentsAndCost_WithoutSending()
    {
        var before = factory.OutboxLines().Count;
        var allowed = (await McpJsonRpc.CallToolAsync(_client, "preview_sms", new { to = "demo", body = new string('a', 161) }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        Assert.True(allowed["allowed"]!.GetValue<bool>());
        Assert.Equal(2, allowed["segments"]!.GetValue<int>());
        Assert.Equal("gsm7", allowed["encoding"]!.GetValue<string>());
        Assert.Equal(0.0166m, allowed["estimated_cost"]!.GetValue<decimal>());
        Assert.Equal("USD", allowed["currency"]!.GetValue<string>());

        var denied = (await McpJsonRpc.CallToolAsync(_client, "preview_sms", new { to = "+442079460958", body = "hi 😀" }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        Assert.False(denied["allowed"]!.GetValue<bool>());
        Assert.Equal(ReasonCodes.CountryNotAllowed, denied["reason_code"]!.GetValue<string>());
        Assert.Equal("ucs2", denied["encoding"]!.GetValue<string>());
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task OptedOutNumber_PreviewAndSendRefuse_NothingSent()
    {
        Assert.True(PhoneNumberParser.TryParse("+12025550177", out var number, out _));
        await factory.Services.GetRequiredService<SuppressionList>().AddAsync(number, SuppressionSource.StopReply, CancellationToken.None);
        var before = factory.OutboxLines().Count;

        var preview = (await McpJsonRpc.CallToolAsync(_client, "preview_sms", new { to = "+12025550177", body = "hi" }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        Assert.Equal(ReasonCodes.RecipientOptedOut, preview["reason_code"]!.GetValue<string>());
        var sent = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "+12025550177", body = "hi" }, SmsMcpFactory.ApiKey);
        Assert.StartsWith(ReasonCodes.RecipientOptedOut + ": ", McpJsonRpc.Text(sent), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task ListRecipients_ShowsAliasesMasked()
    {
        var result = await McpJsonRpc.CallToolAsync(_client, "list_recipients", new { }, SmsMcpFactory.ApiKey);
        var recipient = Assert.Single(result["structuredContent"]!["recipients"]!.AsArray());
        Assert.Equal("demo", recipient!["alias"]!.GetValue<string>());
        Assert.Equal("US", recipient["region"]!.GetValue<string>());
        Assert.DoesNotContain("5550123", recipient["to"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("2025550123", McpJsonRpc.Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageStatus_ShowsOwnMessage_AndNothingForUnknownIds()
    {
        var sent = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "+12025550142", body = "status check" }, SmsMcpFactory.ApiKey);
        var id = sent["structuredContent"]!["message_id"]!.GetValue<string>();

        var status = await McpJsonRpc.CallToolAsync(_client, "get_message_status", new { message_id = id }, SmsMcpFactory.ApiKey);
        Assert.False(McpJsonRpc.IsError(status));
        Assert.Equal("delivered", status["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal(id, status["structuredContent"]!["message_id"]!.GetValue<string>());

        foreach (var unknown in new[] { "msg_" + new string('0', 32), "nope", "msg_../../etc" })
        {
            var missing = await McpJsonRpc.CallToolAsync(_client, "get_message_status", new { message_id = unknown }, SmsMcpFactory.ApiKey);
            Assert.True(McpJsonRpc.IsError(missing));
            Assert.StartsWith("message_not_found: ", McpJsonRpc.Text(missing), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IdempotencyKey_RepeatReturnsFirstResult_AndSendsOnce()
    {
        var key = "k-" + Guid.NewGuid().ToString("N");
        var before = factory.OutboxLines().Count;
        var first = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = "once only", idempotency_key = key }, SmsMcpFactory.ApiKey);
        var second = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = "once only", idempotency_key = key }, SmsMcpFactory.ApiKey);
        Assert.Equal(first["structuredContent"]!["message_id"]!.GetValue<string>(), second["structuredContent"]!["message_id"]!.GetValue<string>());
        Assert.True(second["structuredContent"]!["replayed"]!.GetValue<bool>());
        Assert.Equal(before + 1, factory.OutboxLines().Count);

        var reused = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = "different text", idempotency_key = key }, SmsMcpFactory.ApiKey);
        Assert.StartsWith(ReasonCodes.IdempotencyKeyReused + ": ", McpJsonRpc.Text(reused), StringComparison.Ordinal);
        Assert.Equal(before + 1, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task Usage_OutputSchema_DeclaresTotalsCurrencyAndLimits()
    {
        var message = await McpJsonRpc.SendAsync(_client, McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey);
        var usage = message["result"]!["tools"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "get_usage")!;
        var schema = usage["outputSchema"]!;
        Assert.Equal(["currency", "limits", "this_month", "today"], schema["properties"]!.AsObject().Select(p => p.Key).Order().ToArray());
        Assert.Equal(["messages", "period", "segments", "spend"], schema["properties"]!["today"]!["properties"]!.AsObject().Select(p => p.Key).Order().ToArray());
        Assert.Equal(["limit", "metric", "period", "remaining", "used", "window"],
            schema["properties"]!["limits"]!["items"]!["properties"]!.AsObject().Select(p => p.Key).Order().ToArray());
    }

    [Fact]
    public async Task Usage_CountsAcceptedSends_AndReportsWhatIsLeftOfEachDeclaredQuota()
    {
        var before = (await McpJsonRpc.CallToolAsync(_client, "get_usage", new { }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "demo", body = new string('b', 200) }, SmsMcpFactory.ApiKey);
        await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "nobody", body = "refused" }, SmsMcpFactory.ApiKey);
        var after = (await McpJsonRpc.CallToolAsync(_client, "get_usage", new { }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        Assert.Equal(before["today"]!["messages"]!.GetValue<long>() + 1, after["today"]!["messages"]!.GetValue<long>());
        Assert.Equal(before["today"]!["segments"]!.GetValue<long>() + 2, after["today"]!["segments"]!.GetValue<long>());
        Assert.Equal(before["this_month"]!["messages"]!.GetValue<long>() + 1, after["this_month"]!["messages"]!.GetValue<long>());
        Assert.Equal(before["today"]!["spend"]!.GetValue<decimal>() + 0.0166m, after["today"]!["spend"]!.GetValue<decimal>());
        Assert.Equal("USD", after["currency"]!.GetValue<string>());

        // The development policy declares 200 messages a day and 2000 a month for the dev caller, and no global limit.
        var limits = after["limits"]!.AsArray();
        Assert.Equal(["day/messages/200", "month/messages/2000"],
            limits.Select(l => $"{l!["window"]}/{l["metric"]}/{l["limit"]}").ToArray());
        var day = limits[0]!;
        Assert.Equal(after["today"]!["messages"]!.GetValue<decimal>(), day["used"]!.GetValue<decimal>());
        Assert.Equal(200 - day["used"]!.GetValue<decimal>(), day["remaining"]!.GetValue<decimal>());
        Assert.Equal(before["limits"]![0]!["remaining"]!.GetValue<decimal>() - 1, day["remaining"]!.GetValue<decimal>());
    }
}
