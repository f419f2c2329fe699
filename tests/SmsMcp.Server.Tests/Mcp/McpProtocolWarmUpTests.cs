using System.Text.Json;
using SmsMcp.Http.Mcp;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// The start-up rehearsal really runs the SDK's path (a rehearsal that quietly failed would leave the first request
/// as slow as before, and nothing else would notice), and it lists exactly the catalog's tools, nothing of its own.
/// Whether the server answers correctly without it is what every other MCP test checks: they run with or without it
/// depending on their order, against the same assertions.
/// </summary>
public sealed class McpProtocolWarmUpTests
{
    private static readonly string[] Expected = ["get_message_status", "get_usage", "list_recipients", "preview_sms", "send_sms"];

    [Theory]
    [InlineData(McpWarmUpTransport.StreamableHttp)]
    [InlineData(McpWarmUpTransport.Stdio)]
    public async Task TheRehearsal_AnswersToolsListWithEveryToolOfTheCatalog(McpWarmUpTransport transport)
    {
        ToolCatalogWarmUp.Start();

        var answer = await McpProtocolWarmUp.RehearseAsync(transport);

        Assert.Equal(Expected, ToolNames(answer));
    }

    [Fact]
    public async Task TheStartedRehearsal_Completes()
    {
        ToolCatalogWarmUp.Start();
        McpProtocolWarmUp.Start(McpWarmUpTransport.StreamableHttp);

        var answer = await McpProtocolWarmUp.Completion!.WaitAsync(TimeSpan.FromSeconds(30));

        // Whichever transport the first Start in this process chose (the server's entry point may have been first).
        Assert.Equal(Expected, ToolNames(answer));
    }

    /// <summary>The tool names of a tools/list response, whether written as an SSE event or as a JSON line.</summary>
    private static string[] ToolNames(string answer)
    {
        var json = answer.Split('\n').Select(l => l.StartsWith("data:", StringComparison.Ordinal) ? l[5..] : l)
            .Single(l => l.Contains("\"tools\"", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
    }
}
