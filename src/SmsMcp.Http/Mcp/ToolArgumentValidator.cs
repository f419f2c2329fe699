using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// Checks tool arguments against the declared input schema before the tool runs: unknown arguments,
/// missing required ones and wrong JSON types become an <c>isError</c> result the model can correct
/// (MCP: input validation errors are tool execution errors, not protocol errors).
/// </summary>
public static class ToolArgumentValidator
{
    /// <summary>Returns an error sentence, or null when the arguments fit the schema.</summary>
    public static string? Validate(Tool tool, IDictionary<string, JsonElement>? arguments)
    {
        var schema = tool.InputSchema;
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var allowed = properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(x => x.Name).ToList()
            : [];
        arguments ??= new Dictionary<string, JsonElement>();

        foreach (var (name, value) in arguments)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var shown = name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? $"'{name}'" : "an argument";
                return $"Unknown argument {shown} for {tool.Name}. Allowed arguments: {List(allowed)}.";
            }

            if (properties.TryGetProperty(name, out var property) && !TypeMatches(property, value))
            {
                return $"Argument '{name}' of {tool.Name} must be {Describe(property)}.";
            }
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            var missing = required.EnumerateArray().Select(r => r.GetString()!).Where(r => !arguments.ContainsKey(r)).ToList();
            if (missing.Count > 0)
            {
                return $"Missing required argument{(missing.Count > 1 ? "s" : "")} for {tool.Name}: {List(missing)}.";
            }
        }

        return null;
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "none" : text;
    }

    private static IEnumerable<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!)
            : [type.GetString()!];
    }

    private static bool TypeMatches(JsonElement property, JsonElement value)
    {
        var types = Types(property).ToList();
        return types.Count == 0 || types.Any(t => t switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            _ => false,
        });
    }

    private static string Describe(JsonElement property) => string.Join(" or ", Types(property).Select(t => t switch
    {
        "integer" => "an integer",
        "array" or "object" => "an " + t,
        _ => "a " + t,
    }));
}
