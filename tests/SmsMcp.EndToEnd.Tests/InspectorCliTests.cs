using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>The MCP Inspector CLI (@modelcontextprotocol/inspector-cli) against the real server.</summary>
public sealed class InspectorCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // The CLI reads its own package.json relative to the working directory, so it must run from node_modules.
    private Task<ProcessRunner.Result> InspectAsync(string apiKey, params string[] args) =>
        ProcessRunner.RunAsync(Peers.Node,
            [Peers.InspectorCli, fixture.Server.McpUrl.ToString(), "--transport", "http", "--header", $"Authorization: Bearer {apiKey}", .. args],
            workingDirectory: Peers.NodeModules, timeout: TimeSpan.FromMinutes(1));

    [Fact]
    public async Task ToolsList_ShowsTheFiveTools()
    {
        var run = await InspectAsync(ServerProcess.ApiKey, "--method", "tools/list");
        Assert.True(run.ExitCode == 0, run.ToString());
        var names = JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()!).Order().ToArray();
        Assert.Equal(["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"], names);
    }

    [Fact]
    public async Task ToolsCall_SendSmsToDemo_SendsOnce()
    {
        var before = fixture.Server.OutboxLines().Count;
        var run = await InspectAsync(ServerProcess.ApiKey, "--method", "tools/call", "--tool-name", "send_sms",
            "--tool-arg", "to=demo", "--tool-arg", "body=hello from the inspector");
        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), run.ToString());
        Assert.StartsWith("msg_", result.GetProperty("structuredContent").GetProperty("message_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, fixture.Server.OutboxLines().Count);
        Assert.Contains("hello from the inspector", fixture.Server.OutboxLines()[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_FailsToConnect()
    {
        var run = await InspectAsync("not-the-key-0123456789abcdefghij", "--method", "tools/list");
        Assert.NotEqual(0, run.ExitCode);
    }
}
