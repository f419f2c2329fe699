using SmsMcp.Core.Vocabulary;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// The first-contact lookup through the real host and MCP tools: the guard, its cache table and the sandbox lookup
/// as the app wires them.
/// </summary>
public sealed class FirstContactLookupToolTests(LookupFactory factory) : IClassFixture<LookupFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task TollFreeByLookup_SendRefused_PreviewReportsItOnceCached_OrdinaryNumberSent()
    {
        var before = factory.OutboxLines().Count;

        var uncached = (await McpHttp.CallToolAsync(_client, "preview_sms", new { to = "+18005550100", body = "hi" }))["structuredContent"]!;
        var refused = await McpHttp.CallToolAsync(_client, "send_sms", new { to = "+18005550100", body = "hi" });
        var cached = (await McpHttp.CallToolAsync(_client, "preview_sms", new { to = "+18005550100", body = "hi" }))["structuredContent"]!;
        var sent = await McpHttp.CallToolAsync(_client, "send_sms", new { to = "+12025550123", body = "hi" });

        Assert.True(uncached["allowed"]!.GetValue<bool>());
        Assert.True(McpHttp.IsError(refused));
        Assert.StartsWith(ReasonCodes.LineTypeBlocked + ": ", McpHttp.Text(refused), StringComparison.Ordinal);
        Assert.Equal(ReasonCodes.LineTypeBlocked, cached["reason_code"]!.GetValue<string>());
        Assert.False(McpHttp.IsError(sent), McpHttp.Text(sent));
        Assert.Equal(before + 1, factory.OutboxLines().Count);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("8005550100", StringComparison.Ordinal));
    }
}
