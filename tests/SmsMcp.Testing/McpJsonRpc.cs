using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsMcp.Testing;

/// <summary>
/// Plain JSON-RPC over the streamable HTTP transport of the MCP endpoint — no SDK client in between: to send what
/// clients would not, and to fire many calls at once cheaply. The server answers a request as one server-sent event
/// (or plain JSON); <see cref="ReadMessageAsync"/> reads it.
/// </summary>
public static class McpJsonRpc
{
    public const string ProtocolVersion = "2025-11-25";

    /// <summary>The endpoint of an in-process test server (a WebApplicationFactory client's base address).</summary>
    public static readonly Uri InProcessEndpoint = new("/mcp", UriKind.Relative);

    public static string Request(string method, object? parameters = null, int id = 1) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } });

    public static string CallTool(string name, object arguments, int id = 1) =>
        Request("tools/call", new { name, arguments }, id);

    /// <summary>A POST of <paramref name="json"/>; a null <paramref name="apiKey"/> or <paramref name="protocolVersion"/> leaves that header out.</summary>
    public static HttpRequestMessage Post(string json, string? apiKey, string? protocolVersion = ProtocolVersion, Uri? endpoint = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint ?? InProcessEndpoint)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        return request;
    }

    /// <summary>The JSON-RPC message in a response, whether sent as one server-sent event or as plain JSON.</summary>
    public static async Task<JsonNode> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var data = text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()).ToList();
            text = data.Count == 1 ? data[0] : throw new InvalidOperationException($"Expected one server-sent event, got {data.Count}: {text}");
        }

        return JsonNode.Parse(text)!;
    }

    /// <summary>Sends <paramref name="json"/> and returns the answer, which must come with HTTP 200.</summary>
    public static async Task<JsonNode> SendAsync(HttpClient client, string json, string apiKey, Uri? endpoint = null,
        string protocolVersion = ProtocolVersion, CancellationToken cancellationToken = default)
    {
        using var response = await client.SendAsync(Post(json, apiKey, protocolVersion, endpoint), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Expected HTTP 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await ReadMessageAsync(response, cancellationToken);
    }

    /// <summary>Calls a tool and returns its result object (content, structuredContent, isError); a protocol error throws.</summary>
    public static async Task<JsonNode> CallToolAsync(HttpClient client, string name, object arguments, string apiKey, Uri? endpoint = null,
        string protocolVersion = ProtocolVersion, CancellationToken cancellationToken = default)
    {
        var message = await SendAsync(client, CallTool(name, arguments), apiKey, endpoint, protocolVersion, cancellationToken);
        return message["result"] ?? throw new InvalidOperationException($"tools/call {name} answered a protocol error: {message.ToJsonString()}");
    }

    public static bool IsError(JsonNode result) => result["isError"]?.GetValue<bool>() == true;

    public static string Text(JsonNode result) => result["content"]![0]!["text"]!.GetValue<string>();
}
