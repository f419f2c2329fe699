using System.Text.Json;
using ModelContextProtocol;

namespace SmsMcp.Http.Mcp;

/// <summary>Writes a JSON-RPC error object as a plain HTTP response, for faults found before the SDK sees the message.</summary>
public static class JsonRpcErrorResponse
{
    public static async Task WriteAsync(HttpContext context, int statusCode, McpErrorCode code, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNull("id");
        writer.WriteStartObject("error");
        writer.WriteNumber("code", (int)code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
