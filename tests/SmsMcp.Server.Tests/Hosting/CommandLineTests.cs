using SmsMcp.Server.Hosting;

namespace SmsMcp.Server.Tests.Hosting;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], null, new string[0], new string[0])]
    [InlineData(new[] { "stdio" }, "stdio", new string[0], new string[0])]
    [InlineData(new[] { "--environment", "Development", "stdio" }, "stdio", new[] { "--environment", "Development" }, new string[0])]
    [InlineData(new[] { "--environment=Development", "hash-key", "--caller", "ops" }, "hash-key", new[] { "--environment=Development" }, new[] { "--caller", "ops" })]
    [InlineData(new[] { "--urls", "http://127.0.0.1:9000" }, null, new[] { "--urls", "http://127.0.0.1:9000" }, new string[0])]
    public void Parse_SeparatesHostOptionsFromTheMode(string[] args, string? mode, string[] host, string[] rest)
    {
        var parsed = CommandLine.Parse(args);
        Assert.Equal(mode, parsed.Mode);
        Assert.Equal(host, parsed.HostArguments);
        Assert.Equal(rest, parsed.ModeArguments);
    }
}
