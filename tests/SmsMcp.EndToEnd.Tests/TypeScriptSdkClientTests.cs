using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>The official TypeScript SDK client (tests/peers/ts-client.mjs) against the real server.</summary>
public sealed class TypeScriptSdkClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<ProcessRunner.Result> RunAsync(string apiKey) =>
        ProcessRunner.RunAsync(Peers.Node, [Peers.File("ts-client.mjs")], new Dictionary<string, string>
        {
            ["MCP_URL"] = fixture.Server.McpUrl.ToString(),
            ["MCP_API_KEY"] = apiKey,
        });

    [Fact]
    public async Task ListsToolsAndSendsToDemo()
    {
        var before = fixture.Server.OutboxLines().Count;
        var run = await RunAsync(ServerProcess.ApiKey);
        Assert.True(run.ExitCode == 0, run.ToString());
        var output = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.Contains("send_sms", output.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
        var structured = output.GetProperty("sendResult").GetProperty("structuredContent");
        Assert.Equal("delivered", structured.GetProperty("status").GetString());
        Assert.Equal(before + 1, fixture.Server.OutboxLines().Count);
        Assert.Contains("hello from ts", fixture.Server.OutboxLines()[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_Fails()
    {
        var run = await RunAsync("not-the-key-0123456789abcdefghij");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.StandardOutput);
    }
}
