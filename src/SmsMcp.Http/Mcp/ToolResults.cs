using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol.Protocol;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// Builds tool results: structured content matching the tool's output schema plus the same JSON as text
/// (for clients without structured output); refusals as <c>isError</c> with "reason_code: sentence".
/// </summary>
public static class ToolResults
{
    public const string InvalidArgumentsCode = "invalid_arguments";

    // Relaxed escaping: a model should read "+1 ********23", not "\u002B1 ********23". This JSON never goes into HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CallToolResult Success<T>(T payload)
    {
        var element = JsonSerializer.SerializeToElement(payload, Json);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    public static CallToolResult Refused(Refusal refusal) => Error(refusal.Code, refusal.Message);

    public static CallToolResult InvalidArguments(string message) => Error(InvalidArgumentsCode, message);

    public static CallToolResult Error(string code, string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"{code}: {message}" }],
    };
}
