using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;
using SmsMcp.Core.Tests.Policy;
using SmsMcp.EndToEnd.Tests;
using SmsMcp.EndToEnd.Tests.Infrastructure;
using SmsMcp.Http.Auth;

namespace SmsMcp.Cli.Tests;

/// <summary>
/// <c>smsmcp policy test</c> and the running server decide alike: every case of the hostile send corpus (Core tests)
/// and the end-to-end hostile bodies goes to the server's <c>preview_sms</c> as its caller and through the tool offline;
/// the decisions and reason codes must be identical, case by case.
/// </summary>
public sealed class PolicyAgreementTests
{
    [Fact]
    public async Task HostileSendCorpus_ToolAndServerAgreeOnEveryCase()
    {
        var cases = HostileSendCorpus.Cases.Select(c => new Case(c.Label, c.Caller, c.To, c.Body)).ToList();
        using var folder = new TempDirectory();
        var policyPath = folder.Write("corpus-policy.json", HostileSendCorpus.Policy);
        var callers = cases.Select(c => c.Caller).Where(c => c != "dev").Distinct(StringComparer.Ordinal).ToList();
        var settings = new Dictionary<string, string> { ["Policy__Path"] = policyPath };
        for (var i = 0; i < callers.Count; i++)
        {
            var hash = ApiKeyHash.Create(KeyOf(callers[i]));
            settings[$"Auth__Callers__{i}__Id"] = callers[i];
            settings[$"Auth__Callers__{i}__KeySalt"] = hash.SaltBase64;
            settings[$"Auth__Callers__{i}__KeyHash"] = hash.HashBase64;
        }

        await using var server = await ServerProcess.StartAsync(settings);
        var disagreements = await CompareAsync(server, policyPath, cases, folder);

        Assert.Empty(disagreements);
        Assert.True(cases.Count >= 250, $"the corpus shrank to {cases.Count} cases");
    }

    [Fact]
    public async Task EndToEndHostileBodies_ToolAndServerAgree_AndMatchTheirExpectedCodes()
    {
        var rows = HostileInputEndToEndTests.HostileBodies.Select(row => (Body: (string)row[0], Code: (string)row[1])).ToList();
        var cases = rows.Select((r, i) => new Case($"e2e body {i}", "dev", "demo", r.Body)).ToList();
        using var folder = new TempDirectory();
        await using var server = await ServerProcess.StartAsync();

        var disagreements = await CompareAsync(server, Path.Combine(RepositoryPaths.Root, "policy", "development.json"), cases, folder);

        Assert.Empty(disagreements);
        var expect = new JsonObject { ["cases"] = new JsonArray([.. rows.Select((r, i) => (JsonNode)new JsonObject { ["caller"] = "dev", ["to"] = "demo", ["body"] = r.Body, ["expect"] = r.Code })]) };
        var pinned = await CliRun.RunAsync("policy", "test", Path.Combine(RepositoryPaths.Root, "policy", "development.json"), folder.Write("pinned.json", expect.ToJsonString()));
        Assert.Equal(ExitCodes.Ok, pinned.ExitCode);
    }

    private static string KeyOf(string caller) => $"cli-agreement-{caller}-0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Runs the cases through the tool (one <c>policy test --json</c>) and the server (<c>preview_sms</c> per case); returns the cases that differ.</summary>
    private static async Task<List<string>> CompareAsync(ServerProcess server, string policyPath, List<Case> cases, TempDirectory folder)
    {
        var file = new JsonObject
        {
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["caller"] = c.Caller, ["to"] = c.To, ["body"] = c.Body, ["expect"] = "refused" })]),
        };
        var run = await CliRun.RunAsync("policy", "test", policyPath, folder.Write("cases.json", file.ToJsonString()), "--json");
        var tool = JsonSchemas.AssertValid(run.Output, "policy-test.schema.json")["result"]!["cases"]!.AsArray()
            .Select(c => ((string)c!["decision"]!, (string?)c["reasonCode"])).ToList();
        Assert.Equal(cases.Count, tool.Count);

        var clients = new Dictionary<string, McpClient>(StringComparer.Ordinal);
        var disagreements = new List<string>();
        try
        {
            for (var i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                if (!clients.TryGetValue(c.Caller, out var client))
                {
                    client = clients[c.Caller] = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
                    {
                        Endpoint = server.McpUrl,
                        TransportMode = HttpTransportMode.StreamableHttp,
                        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + (c.Caller == "dev" ? ServerProcess.ApiKey : KeyOf(c.Caller)) },
                    }));
                }

                var preview = await client.CallToolAsync("preview_sms", new Dictionary<string, object?> { ["to"] = c.To, ["body"] = c.Body });
                var served = Decision(preview);
                if (served != tool[i])
                {
                    disagreements.Add($"{c.Name}: server {served}, tool {tool[i]}");
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
        }

        return disagreements;
    }

    /// <summary>The preview's decision, or for a tool error ("code: message", e.g. a null argument) a refusal with that code.</summary>
    private static (string, string?) Decision(CallToolResult preview) =>
        preview.StructuredContent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("allowed", out var allowed)
            ? (allowed.GetBoolean() ? "allowed" : "refused", p.TryGetProperty("reason_code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null)
            : preview.IsError == true && preview.Content.OfType<TextContentBlock>().SingleOrDefault()?.Text is { } text && text.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
                ? ("refused", text[..colon])
                : ("no decision", null);

    private sealed record Case(string Name, string Caller, string? To, string? Body);
}
