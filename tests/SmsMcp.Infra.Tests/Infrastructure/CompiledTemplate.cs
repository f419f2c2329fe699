namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>main.bicep compiled to an ARM template (once per test run).</summary>
internal static class CompiledTemplate
{
    private static readonly Lazy<Task<string>> Text = new(async () =>
    {
        var run = await Bicep.RunAsync(["build", Path.Combine(Bicep.InfraDirectory, "main.bicep"), "--stdout"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.StandardOutput;
    });

    public static Task<string> TextAsync() => Text.Value;
}
