using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;

namespace SmsMcp.Http.Mcp;

/// <summary>Writes a JSON-RPC error object as a plain HTTP response, for faults found before the SDK sees the message.</summary>
public static class JsonRpcErrorResponse
{
    /// <param name="id">The request's id when it could be read (a JSON string or number), so the client can match the error; else null.</param>
    public static async Task WriteAsync(HttpContext context, int statusCode, McpErrorCode code, string message, JsonElement? id = null, JsonNode? data = null)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id is { ValueKind: JsonValueKind.String or JsonValueKind.Number } value)
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteStartObject("error");
        writer.WriteNumber("code", (int)code);
        writer.WriteString("message", message);
        if (data is not null)
        {
            writer.WritePropertyName("data");
            data.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
