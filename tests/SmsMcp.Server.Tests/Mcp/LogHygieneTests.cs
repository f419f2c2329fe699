using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Mcp;

/// <summary>
/// Caller-supplied text never reaches a log line: a phone number, a message body and a forged log line travel through
/// every field of a request (tool name, method, arguments, client name, _meta, id, MCP headers, API key, URL query and path)
/// with the server's own categories, ASP.NET Core's and the MCP SDK's logging at Trace, and the captured log is
/// scanned for any of them.
/// </summary>
public sealed class LogHygieneTests(LogHygieneTests.VerboseFactory factory) : IClassFixture<LogHygieneTests.VerboseFactory>
{
    private const string Digits = "2025550199";
    private const string Phone = "+1" + Digits;
    private const string BodyMarker = "meet me at the docks";
    private const string Forged = "\nfail: SmsMcp.Forged[0] FORGEDLINE\r\n";

    /// <summary>What is placed in each field: the three markers alone and glued together.</summary>
    public static TheoryData<string> Payloads() => new() { Phone, BodyMarker, Forged, Phone + Forged + BodyMarker, Digits };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task CallerTextInEveryField_NeverReachesTheLog(string payload)
    {
        var client = factory.CreateClient();
        var text = JsonSerializer.Serialize(payload);
        string[] messages =
        [
            // Tool name, method name, arguments (names and values), unknown tool with valid arguments.
            Call(text, "{\"to\":\"demo\",\"body\":\"hi\"}"),
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{text},\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"method\":{text}}}",
            Call("\"send_sms\"", $"{{\"to\":{text},\"body\":{text}}}"),
            Call("\"send_sms\"", $"{{\"to\":\"demo\",\"body\":\"hi\",{text}:{text}}}"),
            Call("\"preview_sms\"", $"{{\"to\":{text},\"body\":{text}}}"),
            Call("\"get_message_status\"", $"{{\"message_id\":{text}}}"),
            // The id, the client's name and version, and per-request _meta.
            $"{{\"jsonrpc\":\"2.0\",\"id\":{text},\"method\":\"tools/list\",\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":{text},\"method\":{text},\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{{\"protocolVersion\":{text},\"capabilities\":{{}},\"clientInfo\":{{\"name\":{text},\"version\":{text}}}}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{{\"_meta\":{{\"io.modelcontextprotocol/protocolVersion\":{text},\"io.modelcontextprotocol/clientInfo\":{{\"name\":{text},\"version\":{text}}},\"io.modelcontextprotocol/clientCapabilities\":{{}}}}}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{{\"note\":{text}}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{{\"requestId\":{text},\"reason\":{text}}}}}",
        ];

        foreach (var message in messages)
        {
            foreach (var version in new[] { "2025-11-25", "2026-07-28" })
            {
                using var request = McpJsonRpc.Post(message, SmsMcpFactory.ApiKey, protocolVersion: version);
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
            }
        }

        // Headers: each MCP header, and the API key, carry the payload (HTTP forbids raw CR/LF there, so those are cut out).
        var headerValue = new string([.. payload.Where(c => !char.IsControl(c))]);
        foreach (var header in new[] { "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Authorization" })
        {
            using var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey, protocolVersion: header == "MCP-Protocol-Version" ? null : "2026-07-28");
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + headerValue : headerValue);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        // The Host header, the HTTP method and the Content-Type, which ASP.NET Core's request logs print before any guard.
        var hostLabel = new string([.. headerValue.Where(char.IsAsciiLetterOrDigit)]);
        using (var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey))
        {
            request.Headers.Host = hostLabel + ".example";
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        using (var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey))
        {
            request.Method = new HttpMethod(hostLabel.Length > 0 ? "X" + hostLabel : "X");
            request.Content!.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/" + (hostLabel.Length > 0 ? hostLabel : "x"));
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        // The URL query, which ASP.NET Core's request logs print.
        var query = Uri.EscapeDataString(payload);
        using (var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey, endpoint: new Uri($"/mcp?to={query}&{query}={query}", UriKind.Relative)))
        using (var response = await client.SendAsync(request))
        {
            await response.Content.ReadAsByteArrayAsync();
        }

        // The URL path, which ASP.NET Core's request and routing logs print: under a route, and matching none.
        foreach (var path in new[] { $"/{query}", $"/mcp/{query}", $"/.well-known/oauth-protected-resource/{query}" })
        {
            using var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), SmsMcpFactory.ApiKey, endpoint: new Uri(path, UriKind.Relative));
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }

        var lines = factory.Logs.Lines;
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains("ModelContextProtocol", StringComparison.Ordinal));
        // ASP.NET Core lists its request values in another order than its template: each hole gets its own value.
        Assert.Contains(lines, l => l.Contains("Request starting HTTP/1.1 POST http://localhost/mcp - application/json", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Digits, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(BodyMarker, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("FORGEDLINE", StringComparison.Ordinal));
    }

    [Fact]
    public void LogLinesCarryNoControlCharacters()
    {
        Assert.All(factory.Logs.Lines.Where(l => l.Contains("ModelContextProtocol", StringComparison.Ordinal)),
            l => Assert.DoesNotContain(l.Split(" | ")[0], c => c is '\r' or '\u2028' or '\u2029'));
    }

    private static string Call(string name, string arguments) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":{name},\"arguments\":{arguments}}}}}";

    /// <summary>The real app with the server's and the MCP SDK's log categories at Trace (the shipped levels are higher).</summary>
    public sealed class VerboseFactory : SmsMcpFactory
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Logging:LogLevel:Default", "Trace"),
            new("Logging:LogLevel:SmsMcp", "Trace"),
            new("Logging:LogLevel:ModelContextProtocol", "Trace"),
            new("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
        ];
    }
}
