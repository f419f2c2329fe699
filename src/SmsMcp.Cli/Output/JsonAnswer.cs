using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SmsMcp.Cli.Output;

/// <summary>
/// The one shape every <c>--json</c> answer has: <c>{"command", "exitCode", "result"}</c> on success or failure of the
/// checks, <c>{"command", "exitCode", "error": {"code", "message"}}</c> when the command could not run. Each command's
/// <c>result</c> has its own schema in <c>Schemas/</c>; the envelope is <c>Schemas/envelope.schema.json</c>.
/// </summary>
internal static class JsonAnswer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static int Write<T>(CliContext context, string command, int exitCode, T result)
    {
        var answer = new JsonObject
        {
            ["command"] = command,
            ["exitCode"] = exitCode,
            ["result"] = JsonSerializer.SerializeToNode(result, Options),
        };
        context.Output.WriteLine(answer.ToJsonString(Options));
        return exitCode;
    }

    public static int WriteError(CliContext context, string command, int exitCode, string code, string message)
    {
        var answer = new JsonObject
        {
            ["command"] = command,
            ["exitCode"] = exitCode,
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        };
        context.Output.WriteLine(answer.ToJsonString(Options));
        return exitCode;
    }
}
