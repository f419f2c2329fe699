using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace SmsMcp.Http.Mcp;

/// <summary>Turns a request body into exactly one JSON-RPC message, or the JSON-RPC error that says why not.</summary>
public static class JsonRpcMessageReader
{
    public static (JsonRpcMessage? Message, (McpErrorCode Code, string Message)? Error) Read(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return (null, (McpErrorCode.ParseError, "Parse error: the request body is not valid JSON."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return (null, (McpErrorCode.InvalidRequest, "JSON-RPC batches are not supported: send one message per request."));
            }

            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("jsonrpc", out var version)
                || version.ValueKind != JsonValueKind.String
                || version.GetString() != "2.0")
            {
                return (null, (McpErrorCode.InvalidRequest, "Invalid request: expected one JSON-RPC 2.0 object."));
            }

            try
            {
                var message = root.Deserialize<JsonRpcMessage>(McpJsonUtilities.DefaultOptions);
                return message is null
                    ? (null, (McpErrorCode.InvalidRequest, "Invalid request: expected one JSON-RPC 2.0 object."))
                    : (message, null);
            }
            catch (JsonException)
            {
                return (null, (McpErrorCode.InvalidRequest, "Invalid request: the message is not a JSON-RPC request, notification or response."));
            }
        }
    }
}
