using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Admin;

/// <summary>First-contact approval over HTTP: send_sms answers pending_approval; an operator approves or denies on /admin.</summary>
public sealed class ApprovalEndpointTests(ApprovalFactory factory) : IClassFixture<ApprovalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> HoldAsync(string to)
    {
        var before = factory.OutboxLines().Count;
        var result = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to, body = "first hello" }, SmsMcpFactory.ApiKey);
        Assert.False(McpJsonRpc.IsError(result));
        Assert.Equal("pending_approval", result["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal(before, factory.OutboxLines().Count);
        return result["structuredContent"]!["message_id"]!.GetValue<string>();
    }

    private async Task<string> StatusAsync(string id) =>
        (await McpJsonRpc.CallToolAsync(_client, "get_message_status", new { message_id = id }, SmsMcpFactory.ApiKey))["structuredContent"]!["status"]!.GetValue<string>();

    [Fact]
    public async Task Approve_SendsIt_CallerSeesItDelivered_SecondDecisionIs409()
    {
        var id = await HoldAsync("demo");
        Assert.Equal("pending_approval", await StatusAsync(id));
        var before = factory.OutboxLines().Count;

        using (var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/approve")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(("approved", "delivered"), (body["state"]!.GetValue<string>(), body["status"]!.GetValue<string>()));
        }

        Assert.Equal(before + 1, factory.OutboxLines().Count);
        Assert.Equal("delivered", await StatusAsync(id));
        using var again = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/deny"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(before + 1, factory.OutboxLines().Count);

        var audit = await factory.Services.GetRequiredService<AuditLog>().ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
        Assert.Contains(audit, r => r.Tool == ApprovalService.Tool && r.MessageId == id && r.CallerId == "admin:" + AdminFactory.OperatorId);
    }

    [Fact]
    public async Task Deny_SendsNothing_CallerSeesDenied()
    {
        var id = await HoldAsync("other");
        var before = factory.OutboxLines().Count;
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/deny"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, factory.OutboxLines().Count);
        Assert.Equal("denied", await StatusAsync(id));
        Assert.Equal(MessageStatus.Denied, (await factory.Services.GetRequiredService<MessageStore>().GetAsync("dev", id, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task Operator_SeesTheWaitingRequestAndItsText_OnlyWhilePending()
    {
        var id = await HoldAsync("other");
        using (var list = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, "/admin/approvals")))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var item = Assert.Single(JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray(), i => i!["request_id"]!.GetValue<string>() == id)!;
            Assert.Equal(("dev", "pending"), (item["caller_id"]!.GetValue<string>(), item["state"]!.GetValue<string>()));
            Assert.Null(item["body"]);
        }

        using (var detail = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, $"/admin/approvals/{id}")))
        {
            var view = JsonNode.Parse(await detail.Content.ReadAsStringAsync())!;
            Assert.Equal(("other", "first hello"), (view["to"]!.GetValue<string>(), view["body"]!.GetValue<string>()));
        }

        using (await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/deny")))
        {
        }

        using var after = await _client.SendAsync(AdminHttp.Request(HttpMethod.Get, $"/admin/approvals/{id}"));
        var resolved = JsonNode.Parse(await after.Content.ReadAsStringAsync())!;
        Assert.Equal("denied", resolved["state"]!.GetValue<string>());
        Assert.Null(resolved["body"]);
        Assert.Null(resolved["to"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SmsMcpFactory.ApiKey)]
    public async Task WithoutTheAdminKey_Is401_NothingSent(string? key)
    {
        // Not "demo": only an approval makes a number known, and the approval test approves "demo".
        var id = await HoldAsync("other");
        var before = factory.OutboxLines().Count;
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/approve", key));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, factory.OutboxLines().Count);
        Assert.Equal("pending_approval", await StatusAsync(id));
    }

    [Theory]
    [InlineData("msg_00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    public async Task UnknownRequest_Is404(string id)
    {
        using var response = await _client.SendAsync(AdminHttp.Request(HttpMethod.Post, $"/admin/approvals/{id}/approve"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
