using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// The official MCP conformance suite (@modelcontextprotocol/conformance, Node 22) against the real server.
/// Scenarios that cannot apply to a stateless, tools-only server are listed, each with its reason, in
/// tests/peers/conformance-baseline.yml; the suite itself fails the run if any other scenario fails or a listed
/// one starts passing. The scenarios this server must pass are also checked one by one here.
/// </summary>
public sealed class ConformanceSuiteTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private static readonly string[] MustPass = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection", "logging-set-level"];
    private readonly string _results = Directory.CreateTempSubdirectory("smsmcp-conformance-").FullName;

    [Fact]
    public async Task ServerScenarios_PassExceptTheDocumentedOnes()
    {
        await using var proxy = await AuthProxy.StartAsync(fixture.Server);
        var run = await ProcessRunner.RunAsync(Peers.Node,
            [Peers.Conformance, "server", "--url", proxy.Url.ToString(), "--expected-failures", Peers.File("conformance-baseline.yml"), "-o", _results],
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, "Conformance suite failed:\n" + run);

        foreach (var scenario in MustPass)
        {
            var dir = Directory.GetDirectories(_results, $"server-{scenario}-*").SingleOrDefault();
            Assert.True(dir is not null, $"{scenario} did not run:\n{run}");
            var checks = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "checks.json"))).RootElement.EnumerateArray().ToList();
            Assert.NotEmpty(checks);
            Assert.All(checks, c => Assert.Equal("SUCCESS", c.GetProperty("status").GetString()));
        }
    }

    [Fact]
    public void Baseline_ListsNoneOfTheScenariosThatMustPass_AndGivesEveryEntryAReason()
    {
        var lines = File.ReadAllLines(Peers.File("conformance-baseline.yml"));
        var entries = lines.Select((l, i) => (Line: l.Trim(), Index: i)).Where(x => x.Line.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(entries);
        foreach (var (line, index) in entries)
        {
            Assert.DoesNotContain(line[2..], MustPass);
            var reason = lines.Take(index).Reverse().TakeWhile(l => !l.TrimStart().StartsWith("server:", StringComparison.Ordinal))
                .FirstOrDefault(l => l.TrimStart().StartsWith('#'));
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{line} has no reason comment above it");
        }
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
