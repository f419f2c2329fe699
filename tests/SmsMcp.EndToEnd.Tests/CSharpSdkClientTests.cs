using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>The official C# SDK client (McpClient + HttpClientTransport) against the real server process.</summary>
public sealed class CSharpSdkClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private Task<McpClient> ConnectAsync(string? apiKey = ServerProcess.ApiKey)
    {
        var options = new HttpClientTransportOptions { Endpoint = Server.McpUrl, TransportMode = HttpTransportMode.StreamableHttp, Name = "e2e" };
        if (apiKey is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey };
        }

        return McpClient.CreateAsync(new HttpClientTransport(options));
    }

    [Fact]
    public async Task ListsToolsAndSendsToDemo()
    {
        await using var client = await ConnectAsync();
        // The C# SDK 2.4 client prefers 2026-07-28 (server/discover) and falls back to initialize only when refused.
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        var tools = await client.ListToolsAsync();
        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"], tools.Select(t => t.Name).Order().ToArray());

        var before = Server.OutboxLines().Count;
        var result = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "hello from the C# SDK" });
        Assert.NotEqual(true, result.IsError);
        var messageId = result.StructuredContent!.Value.GetProperty("message_id").GetString()!;
        Assert.Equal(before + 1, Server.OutboxLines().Count);
        Assert.Equal(messageId, JsonDocument.Parse(Server.OutboxLines()[^1]).RootElement.GetProperty("message_id").GetString());

        var status = await client.CallToolAsync("get_message_status", new Dictionary<string, object?> { ["message_id"] = messageId });
        Assert.Equal("delivered", status.StructuredContent!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefusalIsAToolError_NotAnException()
    {
        await using var client = await ConnectAsync();
        var before = Server.OutboxLines().Count;
        var result = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "+447700900123", ["body"] = "hi" });
        Assert.True(result.IsError);
        Assert.Equal(before, Server.OutboxLines().Count);
    }

    [Fact]
    public async Task WithoutKey_ConnectFails()
    {
        foreach (var key in new[] { null, "wrong-key-0123456789abcdefghij" })
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var client = await ConnectAsync(key);
            });
        }
    }
}
