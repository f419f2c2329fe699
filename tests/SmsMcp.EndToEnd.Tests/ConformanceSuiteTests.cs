using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite (@modelcontextprotocol/conformance, Node 22) against the real server, once per
/// revision's requirement set. Scenarios that cannot apply to a stateless, tools-only server are listed, each with its
/// reason, in tests/peers/conformance-baseline-REVISION.yml; the suite itself fails the run if any other scenario fails
/// or a listed one starts passing. The scenarios this server must pass are also checked one by one here, and so are
/// the checks that do apply inside the two listed scenarios that only partly need the suite's own fixtures.
/// </summary>
public sealed class ConformanceSuiteTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    public const string July2026 = "2026-07-28";
    public const string November2025 = "2025-11-25";

    private static readonly Dictionary<string, string[]> MustPass = new()
    {
        [July2026] =
        [
            "tools-list", "dns-rebinding-protection", "http-header-validation", "server-sse-multiple-streams",
            "input-required-result-unsupported-methods", "input-required-result-validate-input",
        ],
        [November2025] = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"],
    };

    private readonly string _results = Directory.CreateTempSubdirectory("smsmcp-conformance-").FullName;

    [Theory]
    [InlineData(July2026)]
    [InlineData(November2025)]
    public async Task ServerScenarios_PassExceptTheDocumentedOnes(string revision)
    {
        await using var proxy = await AuthProxy.StartAsync(fixture.Server);
        var run = await ProcessRunner.RunAsync(Peers.Node,
            [Peers.Conformance, "server", "--url", proxy.Url.ToString(), "--requirements", revision,
                "--expected-failures", Peers.File($"conformance-baseline-{revision}.yml"), "-o", _results],
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, "Conformance suite failed:\n" + run);

        foreach (var scenario in MustPass[revision])
        {
            // INFO records an optional feature left out (a stateless server issues no session id); anything else must pass.
            var checks = Checks(scenario, run).Where(c => c.GetProperty("status").GetString() != "INFO").ToList();
            Assert.NotEmpty(checks);
            Assert.All(checks, c => Assert.Equal("SUCCESS", c.GetProperty("status").GetString()));
        }

        if (revision == July2026)
        {
            // server-stateless is listed only for checks that need the suite's diagnostic tools: every other check passes.
            Assert.All(Checks("server-stateless", run).Where(c => c.GetProperty("status").GetString() is not ("SUCCESS" or "SKIPPED")),
                c => Assert.StartsWith("Not testable", c.GetProperty("errorMessage").GetString(), StringComparison.Ordinal));
            Assert.Contains(Checks("server-stateless", run), c => c.GetProperty("id").GetString() == "sep-2575-server-unsupported-version-error"
                && c.GetProperty("status").GetString() == "SUCCESS");

            // caching is listed because prompts and resources do not exist here; tools/list carries its hints.
            Assert.Contains(Checks("caching", run), c => c.GetProperty("id").GetString() == "sep-2549-tools-list-caching-hints"
                && c.GetProperty("status").GetString() == "SUCCESS");
        }
    }

    [Theory]
    [InlineData(July2026)]
    [InlineData(November2025)]
    public void Baseline_ListsNoneOfTheScenariosThatMustPass_AndGivesEveryEntryAReason(string revision)
    {
        var lines = File.ReadAllLines(Peers.File($"conformance-baseline-{revision}.yml"));
        var entries = lines.Select((l, i) => (Line: l.Trim(), Index: i)).Where(x => x.Line.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(entries);
        foreach (var (line, index) in entries)
        {
            Assert.DoesNotContain(line[2..], MustPass[revision]);
            var reason = lines.Take(index).Reverse().TakeWhile(l => !l.TrimStart().StartsWith("server:", StringComparison.Ordinal))
                .FirstOrDefault(l => l.TrimStart().StartsWith('#'));
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{line} has no reason comment above it");
        }
    }

    private List<JsonElement> Checks(string scenario, ProcessRunner.Result run)
    {
        var dir = Directory.GetDirectories(_results, $"server-{scenario}-*").SingleOrDefault();
        Assert.True(dir is not null, $"{scenario} did not run:\n{run}");
        return [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "checks.json"))).RootElement.EnumerateArray()];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_results, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
