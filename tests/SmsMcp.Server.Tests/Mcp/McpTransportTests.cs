using System.Net;
using System.Text;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>The streamable HTTP transport rules, each rejection path, and that rejections send nothing.</summary>
public sealed class McpTransportTests(SmsMcpFactory factory) : IClassFixture<SmsMcpFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string SendDemo = McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "transport test" });

    [Fact]
    public async Task MissingApiKey_Is401WithBearerChallenge()
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(SendDemo, apiKey: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Empty(factory.OutboxLines());
    }

    [Theory]
    [InlineData("wrong-key-0123456789abcdefghijkl")]
    [InlineData("test-dev-key-0123456789abcdefghijklmno")]
    [InlineData("test-dev-key-0123456789abcdefghijklmnopq")]
    public async Task WrongApiKey_Is401(string key)
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(SendDemo, apiKey: key));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(factory.OutboxLines());
    }

    [Fact]
    public async Task NonBearerScheme_Is401()
    {
        using var request = McpJsonRpc.Post(SendDemo, apiKey: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("dev:" + SmsMcpFactory.ApiKey)));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example:7071")]
    [InlineData("null")]
    public async Task ForeignOrigin_Is403(string origin)
    {
        using var request = McpJsonRpc.Post(SendDemo, SmsMcpFactory.ApiKey);
        request.Headers.Add("Origin", origin);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(factory.OutboxLines());
    }

    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1:3000")]
    public async Task LoopbackOrigin_IsAccepted(string origin)
    {
        using var request = McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey);
        request.Headers.Add("Origin", origin);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:7071")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task ForeignHost_Is403_DnsRebinding(string host)
    {
        using var request = McpJsonRpc.Post(SendDemo, SmsMcpFactory.ApiKey);
        request.Headers.Host = host;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(factory.OutboxLines());
    }

    [Theory]
    [InlineData("localhost:7071")]
    [InlineData("127.0.0.1:7071")]
    [InlineData("[::1]:7071")]
    public async Task LoopbackHost_IsAccepted(string host)
    {
        using var request = McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey);
        request.Headers.Host = host;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("2024-11-05")]
    [InlineData("2025-03-26")]
    [InlineData("2026-07-29")]
    [InlineData("banana")]
    public async Task UnsupportedProtocolVersionHeader_Is400(string version)
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(SendDemo, SmsMcpFactory.ApiKey, protocolVersion: version));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2025-06-18", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(factory.OutboxLines());
    }

    [Theory]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task SupportedProtocolVersionHeader_IsAccepted(string version)
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.Request("ping"), SmsMcpFactory.ApiKey, protocolVersion: version));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_Is405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/mcp");
        request.Headers.Authorization = new("Bearer", SmsMcpFactory.ApiKey);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Delete_Is405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/mcp");
        request.Headers.Add("Mcp-Session-Id", "anything");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task BodyOverLimit_Is413_AndNothingIsSent()
    {
        var body = new string('a', 70 * 1024);
        using var response = await _client.SendAsync(McpJsonRpc.Post(McpJsonRpc.CallTool("send_sms", new { to = "demo", body }), SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(factory.OutboxLines());
    }

    [Fact]
    public async Task BodyOverLimitWithoutContentLength_Is413()
    {
        using var request = McpJsonRpc.Post("", SmsMcpFactory.ApiKey);
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 65 * 1024) + "{}")));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task MalformedJson_IsJsonRpcParseError(string json)
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(json, SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await McpJsonRpc.ReadMessageAsync(response);
        Assert.Equal(-32700, message["error"]!["code"]!.GetValue<int>());
        Assert.Null(message["id"]);
    }

    [Fact]
    public async Task BatchArray_IsClearInvalidRequest()
    {
        var batch = "[" + McpJsonRpc.Request("ping", id: 1) + "," + McpJsonRpc.Request("ping", id: 2) + "]";
        using var response = await _client.SendAsync(McpJsonRpc.Post(batch, SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await McpJsonRpc.ReadMessageAsync(response);
        Assert.Equal(-32600, message["error"]!["code"]!.GetValue<int>());
        Assert.Contains("batch", message["error"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("{\"id\":1,\"method\":\"ping\"}")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}")]
    [InlineData("42")]
    public async Task NotJsonRpc20_IsInvalidRequest(string json)
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post(json, SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (await McpJsonRpc.ReadMessageAsync(response))["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Notification_Is202WithEmptyBody()
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Response_Is202WithEmptyBody()
    {
        using var response = await _client.SendAsync(McpJsonRpc.Post("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}", SmsMcpFactory.ApiKey));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task NonJsonContentType_Is415()
    {
        using var request = McpJsonRpc.Post(SendDemo, SmsMcpFactory.ApiKey);
        request.Content = new StringContent(SendDemo, Encoding.UTF8, "text/plain");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task AcceptWithoutEventStream_Is406()
    {
        using var request = McpJsonRpc.Post(SendDemo, SmsMcpFactory.ApiKey);
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData("2025-06-18", "2025-06-18")]
    [InlineData("2025-11-25", "2025-11-25")]
    [InlineData("2024-11-05", "2025-11-25")]
    [InlineData("2026-07-28", "2025-11-25")]
    public async Task Initialize_NegotiatesASupportedVersion(string requested, string expected)
    {
        var initialize = McpJsonRpc.Request("initialize", new
        {
            protocolVersion = requested,
            capabilities = new { },
            clientInfo = new { name = "test", version = "1" },
        });
        // initialize travels without the header: the revision is what it negotiates.
        using var response = await _client.SendAsync(McpJsonRpc.Post(initialize, SmsMcpFactory.ApiKey, protocolVersion: null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await McpJsonRpc.ReadMessageAsync(response);
        Assert.Equal(expected, message["result"]!["protocolVersion"]!.GetValue<string>());
        Assert.NotNull(message["result"]!["capabilities"]!["tools"]);
        Assert.Null(message["result"]!["capabilities"]!["prompts"]);
        Assert.Null(message["result"]!["capabilities"]!["resources"]);
    }

    [Fact]
    public async Task UnknownMethod_IsMethodNotFound()
    {
        var message = await McpJsonRpc.SendAsync(_client, McpJsonRpc.Request("resources/list"), SmsMcpFactory.ApiKey);
        Assert.Equal(-32601, message["error"]!["code"]!.GetValue<int>());
    }
}
