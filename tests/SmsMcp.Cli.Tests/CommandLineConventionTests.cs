using SmsMcp.Cli.Output;
using SmsMcp.Cli.Tests.Infrastructure;

namespace SmsMcp.Cli.Tests;

public sealed class CommandLineConventionTests
{
    [Theory]
    [InlineData("verify")]
    [InlineData("policy", "check")]
    [InlineData("policy", "test", "only-one-file.json")]
    [InlineData("no-such-command")]
    [InlineData("verify", "http://127.0.0.1:1", "--key", "a", "--token", "b")]
    [InlineData("verify", "http://smsmcp.example.com", "--key", "a")]
    [InlineData("verify", "http://smsmcp.example.com", "--admin-key", "a")]
    [InlineData("controls", "http://smsmcp.example.com", "--admin-key", "a")]
    public async Task MalformedCommandLine_ExitsWithUsage(params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.NotEmpty(result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task MalformedCommandLineWithJson_AnswersAUsageErrorThatValidates()
    {
        var result = await CliRun.RunAsync("policy", "check", "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var answer = JsonSchemas.AssertValid(result.Output);
        Assert.Equal("usage", (string?)answer["error"]!["code"]);
        Assert.Equal(ExitCodes.Usage, (int?)answer["exitCode"]);
    }

    [Fact]
    public async Task AdminKeyOverPlainHttpOutsideLoopback_RefusedBeforeAnyRequest_KeyNotEchoed()
    {
        const string key = "operator-key-never-printed";
        var result = await CliRun.RunAsync("controls", "http://smsmcp.example.com", "--admin-key", key, "--json");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("usage", (string?)JsonSchemas.AssertValid(result.Output)["error"]!["code"]);
        Assert.DoesNotContain(key, result.Output + result.Error, StringComparison.Ordinal);
    }
}
