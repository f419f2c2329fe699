using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// The three revisions on one endpoint, as raw HTTP: 2026-07-28 (server/discover, per-request _meta, Mcp-Method and
/// Mcp-Name headers, cache hints) next to the 2025 handshake; errors carry the request's id; only tools are advertised.
/// </summary>
public sealed class ProtocolRevisionTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    private const string July2026 = "2026-07-28";
    private readonly HttpClient _client = factory.CreateClient();

    private static string Modern(string method, JsonObject? parameters = null, JsonNode? id = null)
    {
        parameters ??= [];
        parameters["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = July2026,
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
        };
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id ?? 7, ["method"] = method, ["params"] = parameters }.ToJsonString();
    }

    private async Task<(HttpStatusCode Status, JsonNode Message)> PostModernAsync(string json, string method, string? name = null)
    {
        using var request = McpJsonRpc.Post(json, SmsMcpFactory.ApiKey, protocolVersion: July2026);
        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await McpJsonRpc.ReadMessageAsync(response));
    }

    [Fact]
    public async Task ServerDiscover_OffersJuly2026_AndOnlyTools()
    {
        var (status, message) = await PostModernAsync(Modern("server/discover"), "server/discover");
        Assert.Equal(HttpStatusCode.OK, status);
        var result = message["result"]!;
        Assert.Contains(July2026, result["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
        var capabilities = result["capabilities"]!.AsObject();
        Assert.Equal(["tools"], capabilities.Select(c => c.Key));
    }

    [Fact]
    public async Task ToolsList_OnJuly2026_CarriesCacheHints_AndTheFiveTools()
    {
        var (status, message) = await PostModernAsync(Modern("tools/list"), "tools/list");
        Assert.Equal(HttpStatusCode.OK, status);
        var result = message["result"]!;
        Assert.Equal(5, result["tools"]!.AsArray().Count);
        Assert.NotNull(result["ttlMs"]);
        Assert.NotNull(result["cacheScope"]);
    }

    [Fact]
    public async Task ToolsCall_OnJuly2026_SendsToDemoOnce()
    {
        var before = factory.OutboxLines().Count;
        var call = Modern("tools/call", new JsonObject { ["name"] = "send_sms", ["arguments"] = new JsonObject { ["to"] = "demo", ["body"] = "modern" } });
        var (status, message) = await PostModernAsync(call, "tools/call", "send_sms");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("delivered", message["result"]!["structuredContent"]!["status"]!.GetValue<string>());
        Assert.Equal(before + 1, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task MismatchedMcpNameHeader_Is400WithTheRequestId_NothingSent()
    {
        var before = factory.OutboxLines().Count;
        var call = Modern("tools/call", new JsonObject { ["name"] = "send_sms", ["arguments"] = new JsonObject { ["to"] = "demo", ["body"] = "x" } }, id: "req-42");
        var (status, message) = await PostModernAsync(call, "tools/call", "preview_sms");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("req-42", message["id"]!.GetValue<string>());
        Assert.NotNull(message["error"]);
        Assert.Equal(before, factory.OutboxLines().Count);
    }

    [Fact]
    public async Task MissingMeta_OnJuly2026_Is400WithTheRequestId()
    {
        var (status, message) = await PostModernAsync(McpJsonRpc.Request("tools/list", id: 9), "tools/list");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(9, message["id"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnsupportedRevisionHeader_Is400WithTheRequestId_AndEchoesOnlyVersionShapedValues()
    {
        using var dated = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("tools/list", id: 5), SmsMcpFactory.ApiKey, protocolVersion: "2099-01-01"));
        var message = await McpJsonRpc.ReadMessageAsync(dated);
        Assert.Equal(HttpStatusCode.BadRequest, dated.StatusCode);
        Assert.Equal(5, message["id"]!.GetValue<int>());
        Assert.Equal("2099-01-01", message["error"]!["data"]!["requested"]!.GetValue<string>());

        using var phone = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("tools/list", id: 6), SmsMcpFactory.ApiKey, protocolVersion: "12025550123"));
        var text = await phone.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, phone.StatusCode);
        Assert.DoesNotContain("2025550123", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Initialize_AdvertisesOnlyTools_AndLoggingSetLevelIsMethodNotFound(string version)
    {
        var initialize = McpJsonRpc.Request("initialize", new { protocolVersion = version, capabilities = new { }, clientInfo = new { name = "t", version = "1" } });
        using var response = await _client.SendAsync(McpJsonRpc.Post(initialize, SmsMcpFactory.ApiKey, protocolVersion: null));
        var capabilities = (await McpJsonRpc.ReadMessageAsync(response))["result"]!["capabilities"]!.AsObject();
        Assert.Equal(["tools"], capabilities.Select(c => c.Key));

        var setLevel = await McpJsonRpc.SendAsync(_client, McpJsonRpc.Request("logging/setLevel", new { level = "debug" }), SmsMcpFactory.ApiKey);
        Assert.Equal(-32601, setLevel["error"]!["code"]!.GetValue<int>());
    }
}
