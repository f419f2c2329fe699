using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>Raw JSON-RPC over the streamable HTTP transport, to test what clients would not send.</summary>
public static class McpHttp
{
    public static HttpRequestMessage Post(string json, string? apiKey = SmsMcpFactory.ApiKey, string? protocolVersion = "2025-11-25")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
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

    public static string Request(string method, object? parameters = null, int id = 1) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } });

    public static string CallTool(string name, object arguments, int id = 1) =>
        Request("tools/call", new { name, arguments }, id);

    /// <summary>The JSON-RPC message in a response, whether sent as SSE or plain JSON.</summary>
    public static async Task<JsonNode> ReadMessageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            var data = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();
            Assert.Single(data);
            text = data[0];
        }

        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> SendAsync(HttpClient client, string json)
    {
        using var response = await client.SendAsync(Post(json));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await ReadMessageAsync(response);
    }

    /// <summary>Calls a tool and returns its result object (content, structuredContent, isError).</summary>
    public static async Task<JsonNode> CallToolAsync(HttpClient client, string name, object arguments)
    {
        var message = await SendAsync(client, CallTool(name, arguments));
        return message["result"] ?? throw new InvalidOperationException("Expected a result, got: " + message.ToJsonString());
    }

    public static bool IsError(JsonNode result) => result["isError"]?.GetValue<bool>() == true;

    public static string Text(JsonNode result) => result["content"]![0]!["text"]!.GetValue<string>();
}
