using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The TypeScript SDK v2 client (@modelcontextprotocol/client, tests/peers/ts-client-v2.mjs) against the real server:
/// pinned to 2026-07-28 (server/discover, per-request _meta, no handshake), in auto mode (probes and must pick
/// 2026-07-28), and in legacy mode (the initialize handshake, 2025-11-25).
/// </summary>
public sealed class TypeScriptSdkV2ClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<ProcessRunner.Result> RunAsync(string mode, string apiKey, string body) =>
        ProcessRunner.RunAsync(Peers.Node, [Peers.File("ts-client-v2.mjs")], new Dictionary<string, string>
        {
            ["MCP_URL"] = fixture.Server.McpUrl.ToString(),
            ["MCP_API_KEY"] = apiKey,
            ["MCP_MODE"] = mode,
            ["MCP_BODY"] = body,
        });

    [Theory]
    [InlineData("2026-07-28", "2026-07-28")]
    [InlineData("auto", "2026-07-28")]
    [InlineData("legacy", "2025-11-25")]
    public async Task ListsToolsAndSendsToDemo(string mode, string negotiated)
    {
        var body = $"hello from ts v2 {mode}";
        var before = fixture.Server.OutboxLines().Count;
        var run = await RunAsync(mode, ServerProcess.ApiKey, body);
        Assert.True(run.ExitCode == 0, run.ToString());
        var output = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.Equal(negotiated, output.GetProperty("protocolVersion").GetString());
        Assert.Equal(
            ["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"],
            output.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("delivered", output.GetProperty("sendResult").GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.Equal(before + 1, fixture.Server.OutboxLines().Count);
        Assert.Contains(fixture.Server.OutboxLines(), line => line.Contains(body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("auto")]
    public async Task WrongKey_Fails(string mode)
    {
        var run = await RunAsync(mode, "not-the-key-0123456789abcdefghij", "never sent");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.StandardOutput);
    }
}
