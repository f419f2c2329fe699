using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// Every send_sms call refused for its arguments leaves exactly one audit record (reason invalid_arguments) holding
/// nothing from the arguments, over a generated space of wrong argument objects; preview_sms (which never audits) and
/// the read-only tools leave none.
/// </summary>
public sealed class InvalidArgumentsAuditTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    private const string Number = "+12025550123";
    private const string Body = "probe body 7f3a";

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Wrong argument objects: extra names (probing for a sender or a callback) × values, wrong types for each argument, missing ones.</summary>
    public static TheoryData<string> WrongArguments()
    {
        var data = new TheoryData<string>();
        string[] values = [$"\"{Number}\"", $"\"{Body}\"", "[\"x\"]", "{\"a\":1}", "12025550123", "null", "true"];
        foreach (var extra in new[] { "from", "media_url", "status_callback", "messaging_service_sid", "To", "body ", "x\ny" })
        {
            foreach (var value in values)
            {
                data.Add($"{{\"to\":\"demo\",\"body\":\"{Body}\",{JsonSerializer.Serialize(extra)}:{value}}}");
            }
        }

        foreach (var value in values.Where(v => !v.StartsWith('"')))
        {
            data.Add($"{{\"to\":{value},\"body\":\"{Body}\"}}");
            data.Add($"{{\"to\":\"{Number}\",\"body\":{value}}}");
            data.Add($"{{\"to\":\"demo\",\"body\":\"{Body}\",\"idempotency_key\":{(value == "null" ? "[]" : value)}}}");
        }

        data.Add($"{{\"to\":[\"{Number}\"],\"body\":\"{Body}\"}}");
        data.Add($"{{\"body\":\"{Body}\"}}");
        data.Add($"{{\"to\":\"{Number}\"}}");
        data.Add("{}");
        return data;
    }

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task SendSmsWithWrongArguments_IsRefused_OneAuditRecordWithoutArgumentValues(string arguments)
    {
        var before = factory.OutboxLines().Count;
        var auditBefore = await AuditTodayAsync();

        var result = await CallAsync("send_sms", arguments);

        Assert.True(McpJsonRpc.IsError(result));
        Assert.StartsWith("invalid_arguments: ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.Equal(before, factory.OutboxLines().Count);
        var record = Assert.Single(await AuditTodayAsync(), r => !auditBefore.Any(b => b.Id == r.Id));
        Assert.Equal("send_sms", record.Tool);
        Assert.Equal(AuditDecision.Denied, record.Decision);
        Assert.Equal("invalid_arguments", record.ReasonCode);
        Assert.Null(record.RecipientRef);
        Assert.Equal(0, record.BodyLength);
        var stored = JsonSerializer.Serialize(record);
        Assert.DoesNotContain("2025550123", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Body, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendSmsWithWrongArguments_IsCountedForTheWatchdogAndTheMetric_AsTheWalkCountsItsRefusals()
    {
        var auditBefore = await AuditTodayAsync();
        using var counts = await RefusalCounts.StartAsync(factory.Services);

        var result = await CallAsync("send_sms", $"{{\"to\":\"demo\",\"body\":\"{Body}\",\"from\":\"{Number}\"}}");

        Assert.StartsWith("invalid_arguments: ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        var record = Assert.Single(await AuditTodayAsync(), r => !auditBefore.Any(b => b.Id == r.Id));
        Assert.Equal((1L, 1L, 1), await counts.CountedAsync(record.CallerId, "invalid_arguments", record.Time));
    }

    [Theory]
    [InlineData("preview_sms", "{\"to\":\"demo\",\"body\":\"hi\",\"from\":\"+15550000000\"}")]
    [InlineData("list_recipients", "{\"from\":\"+15550000000\"}")]
    [InlineData("get_usage", "{\"period\":[1]}")]
    public async Task ToolsThatSendNothing_AreRefused_WithoutAuditRecord(string tool, string arguments)
    {
        var auditBefore = (await AuditTodayAsync()).Count;
        var result = await CallAsync(tool, arguments);
        Assert.StartsWith("invalid_arguments: ", McpJsonRpc.Text(result), StringComparison.Ordinal);
        Assert.Equal(auditBefore, (await AuditTodayAsync()).Count);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> CallAsync(string tool, string arguments)
    {
        var json = $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}";
        return (await McpJsonRpc.SendAsync(_client, json, SmsMcpFactory.ApiKey))["result"]!;
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditTodayAsync() =>
        await factory.Services.GetRequiredService<AuditLog>().ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
}
