using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Plain JSON-RPC over HTTP to the stateless MCP endpoint — no SDK client in between, so many calls can be fired at once
/// cheaply. The server answers a request as one server-sent event; this reads its <c>data:</c> line.
/// </summary>
public static class McpJsonRpc
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { Timeout = TimeSpan.FromMinutes(2) };

    public static async Task<ToolCallResult> CallToolAsync(HttpClient http, Uri mcpUrl, string tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, mcpUrl) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.ApiKey);
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"tools/call {tool} answered HTTP {(int)response.StatusCode}: {text}");
        }

        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).Last()
            : text;
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("result", out var result))
        {
            throw new InvalidOperationException($"tools/call {tool} answered a protocol error: {json}");
        }

        var isError = result.TryGetProperty("isError", out var error) && error.GetBoolean();
        var content = result.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("text").GetString()).FirstOrDefault() ?? "";
        JsonElement? structured = result.TryGetProperty("structuredContent", out var s) ? s.Clone() : null;
        return new ToolCallResult(isError, content, structured);
    }
}
