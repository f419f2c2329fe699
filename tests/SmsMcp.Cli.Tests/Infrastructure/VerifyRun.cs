using System.Text.Json.Nodes;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary><c>smsmcp verify --json</c> against a server process: the exit code and each line's status by id, schema-checked.</summary>
internal static class VerifyRun
{
    public static async Task<(int ExitCode, Dictionary<string, (string Status, string Reason)> Lines)> RunAsync(ServerProcess server, params string[] extra)
    {
        var result = await CliRun.RunAsync(["verify", $"http://127.0.0.1:{server.Port}", "--json", .. extra]);
        var answer = JsonSchemas.AssertValid(result.Output, "verify.schema.json");
        var lines = answer["result"]!["checks"]!.AsArray().ToDictionary(
            l => (string)l!["id"]!,
            l => ((string)l!["status"]!, (string)l!["reason"]!));
        Assert.Equal(result.ExitCode, (int)answer["exitCode"]!);
        return (result.ExitCode, lines);
    }

    /// <summary>The ids of the lines that failed.</summary>
    public static string[] Failed(Dictionary<string, (string Status, string Reason)> lines) =>
        [.. lines.Where(l => l.Value.Status == "fail").Select(l => l.Key).Order(StringComparer.Ordinal)];
}
