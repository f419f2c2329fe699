using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>What one <c>tools/call</c> answered: a refusal's reason code, or the structured result.</summary>
public sealed record ToolCallResult(bool IsError, string Text, JsonElement? Structured)
{
    /// <summary>The stable code of a refusal ("reason_code: sentence"); null on success.</summary>
    public string? ReasonCode => IsError ? Text.Split(':', 2)[0] : null;

    /// <summary><c>message_id</c> of an accepted send; null otherwise.</summary>
    public string? MessageId => Property("message_id")?.GetString();

    /// <summary><c>replayed</c> of an accepted send: the first result of its idempotency key.</summary>
    public bool Replayed => Property("replayed")?.GetBoolean() ?? false;

    /// <summary>Reads a <c>tools/call</c> result object (content, structuredContent, isError).</summary>
    public static ToolCallResult From(JsonNode result)
    {
        var content = result["content"]?.AsArray().Select(c => c?["text"]?.GetValue<string>()).FirstOrDefault() ?? "";
        var structured = result["structuredContent"] is { } s ? JsonSerializer.Deserialize<JsonElement>(s.ToJsonString()) : (JsonElement?)null;
        return new ToolCallResult(McpJsonRpc.IsError(result), content, structured);
    }

    public override string ToString() => IsError ? Text : Structured?.GetRawText() ?? Text;

    private JsonElement? Property(string name) =>
        Structured is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(name, out var value) ? value : null;
}
