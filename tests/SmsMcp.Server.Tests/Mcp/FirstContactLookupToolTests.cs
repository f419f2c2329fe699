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

        var uncached = (await McpJsonRpc.CallToolAsync(_client, "preview_sms", new { to = "+18005550100", body = "hi" }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        var refused = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "+18005550100", body = "hi" }, SmsMcpFactory.ApiKey);
        var cached = (await McpJsonRpc.CallToolAsync(_client, "preview_sms", new { to = "+18005550100", body = "hi" }, SmsMcpFactory.ApiKey))["structuredContent"]!;
        var sent = await McpJsonRpc.CallToolAsync(_client, "send_sms", new { to = "+12025550123", body = "hi" }, SmsMcpFactory.ApiKey);

        Assert.True(uncached["allowed"]!.GetValue<bool>());
        Assert.True(McpJsonRpc.IsError(refused));
        Assert.StartsWith(ReasonCodes.LineTypeBlocked + ": ", McpJsonRpc.Text(refused), StringComparison.Ordinal);
        Assert.Equal(ReasonCodes.LineTypeBlocked, cached["reason_code"]!.GetValue<string>());
        Assert.False(McpJsonRpc.IsError(sent), McpJsonRpc.Text(sent));
        Assert.Equal(before + 1, factory.OutboxLines().Count);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("8005550100", StringComparison.Ordinal));
    }
}
