using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SmsMcp.Functions.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests;

/// <summary>
/// The same request to the standalone server and to the HTTP function gets the same answer: status, meaningful
/// headers and body (streamed SSE responses compared message by message), for successes, every guard's refusal and
/// unsigned webhook input.
/// </summary>
public sealed class HttpFunctionParityTests(HttpFunctionParityTests.Hosts hosts) : IClassFixture<HttpFunctionParityTests.Hosts>
{
    public sealed class Hosts : IAsyncLifetime
    {
        public StandaloneServer Standalone { get; } = new();

        public Worker Worker { get; private set; } = null!;

        public async Task InitializeAsync() => Worker = await Worker.StartAsync();

        public async Task DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Standalone.DisposeAsync();
        }
    }

    private static readonly byte[] OverTheCap = Encoding.UTF8.GetBytes(TestRequest.JsonRpc("tools/list", "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}"));

    public static TheoryData<string> Cases() => [.. Requests().Keys];

    private static Dictionary<string, TestRequest> Requests() => new()
    {
        ["tools/list (SSE)"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/list")),
        ["initialize"] = TestRequest.McpPost(TestRequest.JsonRpc("initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""")),
        ["list_recipients as the dev caller"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/call", """{"name":"list_recipients","arguments":{}}""")),
        ["preview_sms as the dev caller"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/call", """{"name":"preview_sms","arguments":{"to":"demo","body":"hello"}}""")),
        ["unknown tool argument"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/call", """{"name":"send_sms","arguments":{"to":"demo","body":"hi","from":"+12025550100"}}""")),
        ["notification (202)"] = TestRequest.McpPost("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""),
        ["no key (401)"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/list"), apiKey: null),
        ["wrong key (401)"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/list"), apiKey: "smk_wrong-key-0123456789abcdefghijkl"),
        ["foreign Host (403)"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/list")) with { Host = "evil.example" },
        ["foreign Origin (403)"] = AddHeader(TestRequest.McpPost(TestRequest.JsonRpc("tools/list")), "Origin", "https://evil.example"),
        ["unsupported protocol version (400)"] = TestRequest.McpPost(TestRequest.JsonRpc("tools/list")) with
        {
            Headers = [new("Accept", "application/json, text/event-stream"), new("MCP-Protocol-Version", "1999-01-01"), new("Authorization", "Bearer " + HostSettings.ApiKey)],
        },
        ["body over the cap (413)"] = TestRequest.McpPost("") with { Body = OverTheCap },
        ["chunked body over the cap (413)"] = TestRequest.McpPost("") with { Body = OverTheCap, Chunked = true },
        ["not JSON (415)"] = TestRequest.McpPost("x") with { ContentType = "text/plain" },
        ["malformed JSON (400)"] = TestRequest.McpPost("{\"jsonrpc\":"),
        ["GET /mcp (405)"] = new("GET", "/mcp"),
        ["DELETE /mcp (405)"] = new("DELETE", "/mcp"),
        ["admin without a key"] = new("GET", "/admin/kill-switch"),
        ["admin change without a key"] = new("PUT", "/admin/dry-run", Encoding.UTF8.GetBytes("{\"engaged\":true}"), "application/json"),
        ["admin unknown route"] = new("DELETE", "/admin/no/such/route"),
        ["admin approve without a key"] = new("POST", "/admin/approvals/abc/approve"),
        ["unsigned status callback (403)"] = new("POST", "/twilio/status", Encoding.UTF8.GetBytes("MessageSid=SM1&MessageStatus=delivered"), "application/x-www-form-urlencoded"),
        ["status callback, wrong signature (403)"] = AddHeader(
            new("POST", "/twilio/status", Encoding.UTF8.GetBytes("MessageSid=SM1&MessageStatus=delivered"), "application/x-www-form-urlencoded"), "X-Twilio-Signature", "AAAA"),
        ["status callback, JSON without a signed body hash (403)"] = new("POST", "/twilio/status", Encoding.UTF8.GetBytes("{\"MessageSid\":\"SM1\"}"), "application/json"),
        ["status callback over 64 KiB, chunked (413)"] = new("POST", "/twilio/status", new byte[70 * 1024], "application/x-www-form-urlencoded", Chunked: true),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameRequest_SameAnswerFromBothHosts(string name)
    {
        var request = Requests()[name];

        var standalone = await hosts.Standalone.SendAsync(request);
        var function = await hosts.Worker.SendAsync(request);

        if (System.Text.RegularExpressions.Regex.Match(name, @"\((\d{3})\)$") is { Success: true } expected)
        {
            Assert.Equal(int.Parse(expected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), standalone.Status);
        }

        Assert.Equal(standalone.Status, function.Status);
        Assert.NotEqual(StatusCodes.Status500InternalServerError, function.Status);
        Assert.Equal(standalone.ContentType, function.ContentType);
        Assert.Equal(standalone.Headers.OrderBy(h => h.Key), function.Headers.OrderBy(h => h.Key));
        Assert.Equal(standalone.NormalizedBody, function.NormalizedBody);
    }

    [Fact]
    public async Task ToolCallThroughTheFunction_RunsAsTheAuthenticatedCaller()
    {
        var response = await hosts.Worker.SendAsync(Requests()["list_recipients as the dev caller"]);

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.StartsWith("text/event-stream", response.ContentType, StringComparison.Ordinal);
        var result = JsonNode.Parse(response.NormalizedBody)!["result"]!;
        Assert.NotEqual(true, result["isError"]?.GetValue<bool>());
        Assert.Contains(result["structuredContent"]!["recipients"]!.AsArray(), r => r!["alias"]!.GetValue<string>() == "demo");
    }

    [Fact]
    public async Task BodyOverAServerLimit_Is413FromTheFunctionNot500()
    {
        // What Kestrel throws when a body passes MaxRequestBodySize: standalone, Kestrel turns it into its status code.
        var request = TestRequest.McpPost(TestRequest.JsonRpc("tools/list"));
        var response = await hosts.Worker.SendAsync(request with { Body = null }, bodyOverride: new ThrowingBody(new BadHttpRequestException("Request body too large.", 413)));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, response.Status);
    }

    private static TestRequest AddHeader(TestRequest request, string name, string value) =>
        request with { Headers = [.. request.Headers, new(name, value)] };

    /// <summary>A request body whose every read fails the way Kestrel's does past a server limit.</summary>
    private sealed class ThrowingBody(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw failure;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw failure;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
