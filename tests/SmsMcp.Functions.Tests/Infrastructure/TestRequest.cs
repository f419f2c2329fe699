using System.Net.Http.Headers;
using System.Text;

namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>One HTTP request, sent the same way to both hosts: through HttpClient to the standalone server, as a real HttpContext to a function.</summary>
public sealed record TestRequest(string Method, string Path, byte[]? Body = null, string? ContentType = null, bool Chunked = false)
{
    public List<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The Host header; both hosts see <c>localhost</c> otherwise.</summary>
    public string Host { get; init; } = "localhost";

    public static TestRequest McpPost(string json, string? apiKey = HostSettings.ApiKey) => new("POST", "/mcp", Encoding.UTF8.GetBytes(json), "application/json")
    {
        Headers = apiKey is null
            ? [new("Accept", "application/json, text/event-stream"), new("MCP-Protocol-Version", "2025-11-25")]
            : [new("Accept", "application/json, text/event-stream"), new("MCP-Protocol-Version", "2025-11-25"), new("Authorization", "Bearer " + apiKey)],
    };

    public static string JsonRpc(string method, string parameters = "{}") =>
        $$"""{"jsonrpc":"2.0","id":7,"method":"{{method}}","params":{{parameters}}}""";

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            var content = Chunked ? (HttpContent)new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }

            message.Content = content;
            message.Headers.TransferEncodingChunked = Chunked;
        }

        message.Headers.Host = Host;
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString() => $"{Method} {Path}";
}
