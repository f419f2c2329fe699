using System.Net;
using ModelContextProtocol.Protocol;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// An operator flips the kill switch over the admin HTTP endpoint of the real server process; the official C# SDK
/// client sees its next send_sms refused, then sending again once released.
/// </summary>
public sealed class AdminKillSwitchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private async Task SetKillSwitchAsync(HttpClient http, bool engaged, CancellationToken cancellationToken)
    {
        using var request = OperatorClient.Request(Server, HttpMethod.Put, "kill-switch", engaged ? "{\"engaged\":true}" : "{\"engaged\":false}");
        using var response = await http.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KillSwitchOn_SendRefused_Off_Sends()
    {
        var cancellationToken = CancellationToken.None;
        using var http = new HttpClient();
        await using var client = await OperatorClient.ConnectAgentAsync(Server, "e2e-admin", cancellationToken);
        var arguments = new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "kill switch e2e" };

        await SetKillSwitchAsync(http, engaged: true, cancellationToken);
        var before = Server.OutboxLines().Count;
        var refused = await client.CallToolAsync("send_sms", arguments, cancellationToken: cancellationToken);
        Assert.True(refused.IsError);
        Assert.StartsWith("sending_disabled: ", refused.Content.OfType<TextContentBlock>().Single().Text, StringComparison.Ordinal);
        Assert.Equal(before, Server.OutboxLines().Count);

        await SetKillSwitchAsync(http, engaged: false, cancellationToken);
        var sent = await client.CallToolAsync("send_sms", arguments, cancellationToken: cancellationToken);
        Assert.NotEqual(true, sent.IsError);
        Assert.Equal(before + 1, Server.OutboxLines().Count);
    }

    [Fact]
    public async Task McpCallerKey_IsRefusedOnAdmin()
    {
        using var http = new HttpClient();
        using var request = OperatorClient.Request(Server, HttpMethod.Get, "kill-switch", key: ServerProcess.ApiKey);
        using var response = await http.SendAsync(request, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
