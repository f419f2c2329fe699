using System.Text.Json;
using ModelContextProtocol;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// The JSON-RPC shape checks the SDK answers less precisely (it reports every one of these as a generic invalid request):
/// a body that is not JSON is a parse error (-32700), a batch is refused by name, and the object must say
/// <c>"jsonrpc": "2.0"</c>. Everything past the envelope is the SDK's.
/// </summary>
public static class JsonRpcEnvelope
{
    public sealed record Fault(McpErrorCode Code, string Message);

    /// <summary>
    /// What the envelope check found: a fault or none, the request's id when one could be read, and — for the per-tool
    /// grant check in front of the SDK — the method and, for <c>tools/call</c>, the tool name when they are strings.
    /// </summary>
    public readonly record struct Result(Fault? Fault, JsonElement? Id, string? Method = null, string? ToolName = null);

    public static Result Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return new Result(new Fault(McpErrorCode.ParseError, "Parse error: the request body is not valid JSON."), null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return new Result(new Fault(McpErrorCode.InvalidRequest, "JSON-RPC batches are not supported: send one message per request."), null);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Result(new Fault(McpErrorCode.InvalidRequest, "Invalid request: expected one JSON-RPC 2.0 object."), null);
            }

            JsonElement? id = root.TryGetProperty("id", out var idValue) ? idValue.Clone() : null;
            if (!(root.TryGetProperty("jsonrpc", out var version) && version.ValueKind == JsonValueKind.String && version.GetString() == "2.0"))
            {
                return new Result(new Fault(McpErrorCode.InvalidRequest, "Invalid request: expected one JSON-RPC 2.0 object."), id);
            }

            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var tool = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new Result(null, id, method, tool);
        }
    }
}
