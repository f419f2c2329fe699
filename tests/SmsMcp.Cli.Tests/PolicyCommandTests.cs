using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

public sealed class PolicyCommandTests
{
    private static string Repo(params string[] parts) => Path.Combine([RepositoryPaths.Root, .. parts]);

    [Theory]
    [InlineData("development.json")]
    [InlineData("example.production.json")]
    public async Task ShippedPolicy_Checks_Valid(string file)
    {
        var result = await CliRun.RunAsync("policy", "check", Repo("policy", file), "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output, "policy-check.schema.json");
        Assert.True((bool)answer["result"]!["valid"]!);
        Assert.Empty(answer["result"]!["errors"]!.AsArray());
    }

    [Fact]
    public async Task InvalidPolicy_ExitOne_EachErrorNamesItsField()
    {
        using var folder = new TempDirectory();
        var path = folder.Write("bad.json", """
            {
              "recipients": { "demo": { "number": "12" } },
              "profiles": { "p": { "allow": { "recipients": ["nobody"] }, "countries": ["XX"], "content": { "maxSegments": 0 } } },
              "callers": { "dev": "missing-profile" }
            }
            """);

        var result = await CliRun.RunAsync("policy", "check", path, "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var errors = JsonSchemas.AssertValid(result.Output, "policy-check.schema.json")["result"]!["errors"]!.AsArray();
        var fields = errors.Select(e => (string)e!["field"]!).ToList();
        Assert.Contains(fields, f => f.StartsWith("recipients.demo", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("profiles.p", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("callers.dev", StringComparison.Ordinal));
        Assert.All(fields, f => Assert.False(string.IsNullOrEmpty(f)));
    }

    [Fact]
    public async Task MissingFile_ExitUnavailable()
    {
        var result = await CliRun.RunAsync("policy", "check", Repo("policy", "no-such-policy.json"), "--json");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Equal("file_unreadable", (string?)JsonSchemas.AssertValid(result.Output)["error"]!["code"]);
    }

    [Fact]
    public async Task CaseThatDisagrees_FailsItsLineOnly_ExitOne()
    {
        using var folder = new TempDirectory();
        var cases = folder.Write("cases.json", """
            { "cases": [
              { "name": "demo", "caller": "dev", "to": "demo", "body": "hello", "expect": "allowed" },
              { "name": "uk", "caller": "dev", "to": "+447400123456", "body": "hello", "expect": "country_not_allowed" },
              { "name": "link", "caller": "dev", "to": "demo", "body": "see https://example.com", "expect": "allowed" },
              { "name": "stranger", "caller": "stranger", "to": "demo", "body": "hello", "expect": "refused" }
            ] }
            """);
        JsonSchemas.AssertFileValid(cases, "policy-cases.schema.json");

        var result = await CliRun.RunAsync("policy", "test", Repo("policy", "development.json"), cases, "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var outcome = JsonSchemas.AssertValid(result.Output, "policy-test.schema.json")["result"]!;
        Assert.Equal([true, true, false, true], outcome["cases"]!.AsArray().Select(c => (bool)c!["passed"]!));
        Assert.Equal("url_not_allowed", (string?)outcome["cases"]![2]!["reasonCode"]);
    }

    [Fact]
    public async Task MalformedCasesFile_ExitOne_SaysWhere()
    {
        using var folder = new TempDirectory();
        var cases = folder.Write("cases.json", """{ "cases": [ { "caller": "dev", "to": 5 } ] }""");

        var result = await CliRun.RunAsync("policy", "test", Repo("policy", "development.json"), cases, "--json");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Equal("cases_invalid", (string?)JsonSchemas.AssertValid(result.Output)["error"]!["code"]);
    }

    [Fact]
    public async Task Diff_NamesEachCallersChangedFields()
    {
        using var folder = new TempDirectory();
        const string Old = """
            { "recipients": { "demo": { "number": "+12025550123" } },
              "profiles": { "a": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "content": { "maxSegments": 10 } },
                            "b": { "allow": { "recipients": ["demo"] }, "countries": ["US"] } },
              "callers": { "one": "a", "two": "a", "gone": "b" } }
            """;
        const string New = """
            { "recipients": { "demo": { "number": "+12025550123" } },
              "profiles": { "a": { "allow": { "recipients": ["demo"] }, "countries": ["US", "CA"], "content": { "maxSegments": 2 } },
                            "b": { "allow": { "recipients": ["demo"] }, "countries": ["US"] } },
              "callers": { "one": "a", "two": "b", "new": "b" } }
            """;
        var result = await CliRun.RunAsync("policy", "diff", folder.Write("old.json", Old), folder.Write("new.json", New), "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var changes = JsonSchemas.AssertValid(result.Output, "policy-diff.schema.json")["result"]!["changes"]!.AsArray()
            .Select(c => $"{c!["caller"]} {c["field"]}: {c["before"] ?? "-"} → {c["after"] ?? "-"}").ToList();
        Assert.Contains("one profile.countries: [\"US\"] → [\"US\",\"CA\"]", changes);
        Assert.Contains("one profile.content.maxSegments: 10 → 2", changes);
        Assert.Contains("two profile: a → b", changes);
        Assert.Contains("gone profile: b → -", changes);
        Assert.Contains("new profile: - → b", changes);
        Assert.DoesNotContain(changes, c => c.StartsWith('*'));
    }

    [Fact]
    public async Task DiffOfAPolicyWithItself_NoChanges()
    {
        var path = Repo("policy", "example.production.json");
        var result = await CliRun.RunAsync("policy", "diff", path, path, "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output, "policy-diff.schema.json")["result"]!;
        Assert.True((bool)answer["identical"]!);
        Assert.Empty(answer["changes"]!.AsArray());
    }
}
