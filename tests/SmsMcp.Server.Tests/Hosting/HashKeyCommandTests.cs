using SmsMcp.Http.Auth;
using SmsMcp.Server.Hosting;

namespace SmsMcp.Server.Tests.Hosting;

public sealed class HashKeyCommandTests
{
    [Fact]
    public void PrintsAKeyThatMatchesThePrintedHash()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, HashKeyCommand.Run(["--caller", "ops-agent", "--index", "2"], output, error));
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("smk_", StringComparison.Ordinal));
        string Value(string name) => lines.Single(l => l.StartsWith($"Auth__Callers__2__{name}=", StringComparison.Ordinal)).Split('=', 2)[1];
        Assert.Equal("ops-agent", Value("Id"));
        var hash = new ApiKeyHash(Convert.FromBase64String(Value("KeySalt")), Convert.FromBase64String(Value("KeyHash")));
        Assert.True(hash.Matches(key));
    }

    [Theory]
    [InlineData]
    [InlineData("--caller")]
    [InlineData("--caller", "has space")]
    [InlineData("--caller", "ok", "--index", "-3")]
    public void BadArguments_PrintUsage(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, HashKeyCommand.Run(args, output, error));
        Assert.Contains("usage", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }
}
