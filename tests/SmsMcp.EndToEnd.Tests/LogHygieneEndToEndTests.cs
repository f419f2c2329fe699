using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Issue 11 item 4 end to end: the real server's own stdout and stderr, at the log levels it ships with and with every
/// category it configures turned up to Trace, hold none of a phone number, a body marker or a forged log line planted
/// in every field a client reaches — tool name, method name, arguments, client name, <c>_meta</c>, the JSON-RPC id,
/// the MCP headers, the API key and the URL query. The official C# SDK client sends what it can; raw HTTP the rest.
/// </summary>
public sealed class LogHygieneEndToEndTests
{
    private const string Digits = "2025550199";
    private const string Phone = "+1" + Digits;

    // No character a URL query escapes: the marker reaches a log line as it was sent, wherever it travels.
    private const string BodyMarker = "docks-at-midnight-7q3";
    private const string ForgedMarker = "FORGEDLINE";
    private const string Forged = "\nfail: SmsMcp.Forged[0] " + ForgedMarker + "\r\n";

    private static readonly string[] Payloads = [Phone, BodyMarker, Forged, Phone + Forged + BodyMarker];

    public static TheoryData<string> LogLevels() => ["shipped", "Trace"];

    [Theory]
    [MemberData(nameof(LogLevels))]
    public async Task CallerTextInEveryField_NeverReachesTheServersOutput(string levels)
    {
        var server = await ServerProcess.StartAsync(LogLevelSettings(levels));
        await using (server)
        {
            foreach (var payload in Payloads)
            {
                await SendThroughTheSdkClientAsync(server, payload);
                await SendRawAsync(server, payload);
            }

            await server.StopAsync();
        }

        var lines = server.Output;
        Assert.Contains(lines, l => l.Contains("MCP endpoint:", StringComparison.Ordinal));
        if (levels == "Trace")
        {
            // The SDK's own request handling was logged: the verbose run did see the requests.
            Assert.Contains(lines, l => l.Contains("ModelContextProtocol", StringComparison.Ordinal));
        }

        AssertNoLine(lines, l => l.Contains(Digits, StringComparison.Ordinal), "the phone number");
        AssertNoLine(lines, l => l.Contains(BodyMarker, StringComparison.Ordinal), "the body marker");
        AssertNoLine(lines, l => l.Contains(ForgedMarker, StringComparison.Ordinal), "the forged line's text");
        AssertNoLine(lines, l => StripStream(l).StartsWith("fail: SmsMcp.Forged", StringComparison.Ordinal), "a forged line");
    }

    /// <summary>
    /// "shipped": the levels of the server's appsettings.json (the test harness otherwise lowers them to Warning);
    /// "Trace": Default and every category that file names at Trace, the most verbose the server can be configured to.
    /// </summary>
    private static Dictionary<string, string> LogLevelSettings(string levels)
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.ServerDirectory, "appsettings.json")))!["Logging"]!["LogLevel"]!.AsObject();
        return shipped.ToDictionary(p => "Logging__LogLevel__" + p.Key, p => levels == "Trace" ? "Trace" : p.Value!.GetValue<string>());
    }

    private static async Task SendThroughTheSdkClientAsync(ServerProcess server, string payload)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ServerProcess.ApiKey },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = payload, Version = payload } });
        var meta = new RequestOptions { Meta = new JsonObject { ["note"] = payload } };
        // The SDK copies the tool name into the Mcp-Name header, where HTTP forbids CR/LF: those go raw (SendRawAsync).
        await CallIgnoringRefusalAsync(client, WithoutControlCharacters(payload), new() { ["to"] = "demo", ["body"] = "hi" }, meta);
        await CallIgnoringRefusalAsync(client, "send_sms", new() { ["to"] = payload, ["body"] = payload }, meta);
        await CallIgnoringRefusalAsync(client, "send_sms", new() { ["to"] = "demo", ["body"] = "hi", [payload] = payload }, meta);
        await CallIgnoringRefusalAsync(client, "preview_sms", new() { ["to"] = payload, ["body"] = payload }, meta);
        await CallIgnoringRefusalAsync(client, "get_message_status", new() { ["message_id"] = payload }, meta);
    }

    /// <summary>What a real client would not send: unknown methods, odd ids, MCP headers and the URL query.</summary>
    private static async Task SendRawAsync(ServerProcess server, string payload)
    {
        using var http = new HttpClient();
        var text = JsonSerializer.Serialize(payload);
        string[] messages =
        [
            McpJsonRpc.CallTool(payload, new { to = "demo", body = "hi" }),
            $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{text},\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"method\":{text}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":{text},\"method\":\"tools/list\",\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"id\":{text},\"method\":{text},\"params\":{{}}}}",
            $"{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{{\"requestId\":{text},\"reason\":{text}}}}}",
        ];
        foreach (var message in messages)
        {
            await SendAsync(http, McpJsonRpc.Post(message, ServerProcess.ApiKey, endpoint: server.McpUrl));
        }

        // HTTP forbids raw CR/LF in a header value, so those are cut out there.
        var headerValue = WithoutControlCharacters(payload);
        foreach (var header in new[] { "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Authorization" })
        {
            var request = McpJsonRpc.Post(McpJsonRpc.Request("tools/list"), ServerProcess.ApiKey, protocolVersion: header == "MCP-Protocol-Version" ? null : "2026-07-28", endpoint: server.McpUrl);
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + headerValue : headerValue);
            await SendAsync(http, request);
        }

        var query = new Uri($"{server.McpUrl}?to={Uri.EscapeDataString(payload)}&body={Uri.EscapeDataString(payload)}&{Uri.EscapeDataString(payload)}=1");
        await SendAsync(http, McpJsonRpc.Post(McpJsonRpc.CallTool("send_sms", new { to = "demo", body = "hi" }), ServerProcess.ApiKey, endpoint: query));
    }

    private static async Task CallIgnoringRefusalAsync(McpClient client, string tool, Dictionary<string, object?> arguments, RequestOptions options)
    {
        try
        {
            await client.CallToolAsync(tool, arguments, options: options);
        }
        catch (McpException)
        {
            // Refused as a protocol error (an unknown tool): what matters is what the server logged about it.
        }
    }

    private static async Task SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            await response.Content.ReadAsByteArrayAsync();
        }
    }

    /// <summary>Fails with the offending lines whole (Assert.DoesNotContain would show them cut short).</summary>
    private static void AssertNoLine(IReadOnlyList<string> lines, Func<string, bool> leaks, string what)
    {
        var leaked = lines.Where(leaks).ToList();
        Assert.True(leaked.Count == 0, $"The server's output holds {what}:\n" + string.Join("\n", leaked));
    }

    private static string WithoutControlCharacters(string text) => new([.. text.Where(c => !char.IsControl(c))]);

    private static string StripStream(string line) => line.StartsWith("stderr: ", StringComparison.Ordinal) ? line["stderr: ".Length..] : line;
}
