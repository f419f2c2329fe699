using System.Text.Json;
using System.Text.RegularExpressions;
using SmsMcp.Infra.Tests.Infrastructure;

namespace SmsMcp.Infra.Tests;

/// <summary>
/// The gate every Bicep change passes: no diagnostic of any level from the linter or the compiler (compiler warnings
/// such as BCP037 "property not allowed" cannot be raised to errors in bicepconfig.json, so any SARIF result fails),
/// every parameter file builds, and the formatter changes nothing. <c>use-recent-api-versions</c> stays off in
/// infra/bicepconfig.json: it depends on today's date.
/// </summary>
public sealed partial class BicepCompilerTests
{
    private static string[] BicepFiles() =>
        Directory.GetFiles(Bicep.InfraDirectory, "*.bicep", SearchOption.AllDirectories);

    [Fact]
    public async Task Lint_EveryFile_ReportsNothing()
    {
        var run = await Bicep.RunAsync(["lint", "--pattern", "infra/**/*.bicep", "--diagnostics-format", "sarif"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var (documents, results) = Sarif.Read(run.StandardOutput);
        Assert.Equal(BicepFiles().Length, documents);
        Assert.True(results.Count == 0, string.Join("\n", results));
    }

    [Fact]
    public async Task Build_EveryFile_ReportsNothing()
    {
        var output = Directory.CreateTempSubdirectory("smsmcp-bicep-build-");
        try
        {
            var run = await Bicep.RunAsync(["build", "--pattern", "infra/**/*.bicep", "--outdir", output.FullName, "--diagnostics-format", "sarif"]);

            Assert.True(run.ExitCode == 0, run.ToString());
            var (documents, results) = Sarif.Read(run.StandardError);
            Assert.Equal(BicepFiles().Length, documents);
            Assert.True(results.Count == 0, string.Join("\n", results));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Gate_CompilerWarningAndLinterFinding_AreCaught()
    {
        // The checks above must be able to fail: a property the resource type does not have (a compiler warning,
        // BCP037) and an unused parameter (a linter rule) both show up as SARIF results.
        var directory = Directory.CreateTempSubdirectory("smsmcp-bicep-bad-");
        try
        {
            File.Copy(Path.Combine(Bicep.InfraDirectory, "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "bad.bicep");
            await File.WriteAllTextAsync(file, """
                param unused string

                resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
                  name: 'kv-bad'
                  location: 'westus2'
                  properties: {
                    tenantId: subscription().tenantId
                    sku: {
                      family: 'A'
                      name: 'standard'
                    }
                    notAProperty: true
                  }
                }

                """);

            var lint = await Bicep.RunAsync(["lint", file, "--diagnostics-format", "sarif"]);
            var build = await Bicep.RunAsync(["build", file, "--stdout", "--diagnostics-format", "sarif"]);

            Assert.Contains(Sarif.Results(lint.StandardOutput), r => r.Contains("no-unused-params", StringComparison.Ordinal));
            Assert.Contains(Sarif.Results(build.StandardError), r => r.Contains("BCP037", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static TheoryData<string> ParameterFiles() =>
        [.. Directory.GetFiles(Bicep.InfraDirectory, "*.bicepparam", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Bicep.InfraDirectory, f))];

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task BuildParams_WithAzdEnvironment_ReportsNothing(string parameterFile)
    {
        var run = await Bicep.RunAsync(["build-params", Path.Combine(Bicep.InfraDirectory, parameterFile), "--stdout", "--diagnostics-format", "sarif"],
            environment: AzdEnvironment.Minimal);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(Sarif.Results(run.StandardError));
        Assert.Contains("parametersJson", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildParams_AlertChannelVariables_ReachTheParameters()
    {
        var environment = new Dictionary<string, string>(AzdEnvironment.Minimal)
        {
            ["SMSMCP_ALERT_WEBHOOK_URL"] = "https://alerts.example.com/smsmcp",
            ["SMSMCP_ALERT_TEAMS_ENABLED"] = "true",
        };

        var on = await ParametersAsync(environment);
        var off = await ParametersAsync(AzdEnvironment.Minimal);

        Assert.Equal("https://alerts.example.com/smsmcp", on["alertWebhookUrl"].GetProperty("value").GetString());
        Assert.True(on["alertTeamsEnabled"].GetProperty("value").GetBoolean());
        Assert.False(on["alertSlackEnabled"].GetProperty("value").GetBoolean());
        Assert.Equal("", off["alertWebhookUrl"].GetProperty("value").GetString());
        Assert.False(off["alertTeamsEnabled"].GetProperty("value").GetBoolean());
    }

    [Fact]
    public void ParameterFile_EveryVariable_IsInTheDeployGuidesTable()
    {
        // docs/deploy.md's table of azd variables is the operator's reference: a variable main.bicepparam reads and the
        // table lacks is a setting nobody can find.
        var parameterFile = File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "main.bicepparam"));
        var table = string.Join('\n', File.ReadAllLines(Path.Combine(Bicep.RepositoryRoot, "docs", "deploy.md")).Where(l => l.StartsWith('|')));
        var variables = EnvironmentVariable().Matches(parameterFile).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("SMSMCP_ALERT_TEAMS_ENABLED", variables);
        Assert.All(variables, variable => Assert.Contains($"`{variable}`", table, StringComparison.Ordinal));
    }

    private static async Task<Dictionary<string, JsonElement>> ParametersAsync(IReadOnlyDictionary<string, string> environment)
    {
        var run = await Bicep.RunAsync(["build-params", Path.Combine(Bicep.InfraDirectory, "main.bicepparam"), "--stdout"], environment: environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var output = JsonDocument.Parse(run.StandardOutput);
        using var parameters = JsonDocument.Parse(output.RootElement.GetProperty("parametersJson").GetString()!);
        return parameters.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    [GeneratedRegex(@"readEnvironmentVariable\('([A-Z0-9_]+)'")]
    private static partial Regex EnvironmentVariable();

    [Fact]
    public async Task BuildParams_WithoutRequiredVariable_Fails()
    {
        // main.bicepparam has no default for the Twilio account: azd must ask, never deploy a blank one.
        var environment = AzdEnvironment.Minimal.Where(v => v.Key != "TWILIO_ACCOUNT_SID").ToDictionary();

        var run = await Bicep.RunAsync(["build-params", Path.Combine(Bicep.InfraDirectory, "main.bicepparam"), "--stdout"], environment: environment);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("TWILIO_ACCOUNT_SID", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_EveryFile_LeavesNoDiff()
    {
        var copy = Directory.CreateTempSubdirectory("smsmcp-bicep-format-");
        try
        {
            var files = Directory.GetFiles(Bicep.InfraDirectory, "*.bicep*", SearchOption.AllDirectories);
            foreach (var file in files)
            {
                var target = Path.Combine(copy.FullName, Path.GetRelativePath(Bicep.InfraDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var run = await Bicep.RunAsync(["format", "--pattern", "**/*.bicep*"], workingDirectory: copy.FullName);

            Assert.True(run.ExitCode == 0, run.ToString());
            foreach (var file in files)
            {
                var formatted = await File.ReadAllTextAsync(Path.Combine(copy.FullName, Path.GetRelativePath(Bicep.InfraDirectory, file)));
                Assert.True(formatted == await File.ReadAllTextAsync(file), $"bicep format changes {Path.GetRelativePath(Bicep.RepositoryRoot, file)}");
            }
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
