using System.Text.Json.Serialization;

namespace SmsMcp.Server.Hosting;

/// <summary>The response payload a custom handler returns for a non-HTTP trigger.</summary>
public sealed record FunctionInvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);
