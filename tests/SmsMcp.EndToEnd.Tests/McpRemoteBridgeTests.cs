using ModelContextProtocol.Client;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// mcp-remote, the stdio bridge desktop clients (Claude Desktop) use for remote servers: a stdio MCP client
/// talks to mcp-remote, which talks streamable HTTP to the real server.
/// </summary>
public sealed class McpRemoteBridgeTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _configDirectory = Directory.CreateTempSubdirectory("smsmcp-mcp-remote-").FullName;

    [Fact]
    public async Task StdioClientThroughBridge_ListsToolsAndSendsToDemo()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "mcp-remote",
            Command = Peers.Node,
            Arguments = [Peers.McpRemote, fixture.Server.McpUrl.ToString(), "--header", $"Authorization: Bearer {ServerProcess.ApiKey}", "--transport", "http-only", "--silent"],
            EnvironmentVariables = new Dictionary<string, string?> { ["MCP_REMOTE_CONFIG_DIR"] = _configDirectory },
        });
        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        Assert.Equal(5, tools.Count);

        var before = fixture.Server.OutboxLines().Count;
        var result = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "hello through mcp-remote" });
        Assert.NotEqual(true, result.IsError);
        Assert.Equal(before + 1, fixture.Server.OutboxLines().Count);
        Assert.Contains("hello through mcp-remote", fixture.Server.OutboxLines()[^1], StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
