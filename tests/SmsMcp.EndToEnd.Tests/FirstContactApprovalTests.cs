using System.Net;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The approval flow against the real server process: the C# SDK client's first send_sms to a number waits, an
/// operator approves it over the admin HTTP endpoint, and the client sees it delivered through get_message_status.
/// </summary>
public sealed class FirstContactApprovalTests(ApprovalServerFixture fixture) : IClassFixture<ApprovalServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task FirstSendWaits_OperatorApproves_ClientSeesItDelivered()
    {
        var cancellationToken = CancellationToken.None;
        await using var client = await OperatorClient.ConnectAgentAsync(Server, "e2e-approval", cancellationToken);

        var held = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "first contact e2e" }, cancellationToken: cancellationToken);
        Assert.NotEqual(true, held.IsError);
        Assert.Equal("pending_approval", held.StructuredContent!.Value.GetProperty("status").GetString());
        var id = held.StructuredContent!.Value.GetProperty("message_id").GetString()!;
        Assert.Empty(Server.OutboxLines());

        using var http = new HttpClient();
        using var approve = OperatorClient.Request(Server, HttpMethod.Post, $"approvals/{id}/approve");
        using var response = await http.SendAsync(approve, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Server.OutboxLines());

        var status = await client.CallToolAsync("get_message_status", new Dictionary<string, object?> { ["message_id"] = id }, cancellationToken: cancellationToken);
        Assert.Equal("delivered", status.StructuredContent!.Value.GetProperty("status").GetString());

        var second = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "now known" }, cancellationToken: cancellationToken);
        Assert.Equal("delivered", second.StructuredContent!.Value.GetProperty("status").GetString());
        Assert.Equal(2, Server.OutboxLines().Count);
    }
}
