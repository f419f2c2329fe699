using SmsMcp.Cli;
using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary>Runs <c>smsmcp</c> in process with captured stdout/stderr and a wide, colourless console.</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var context = new CliContext(console, output, error, TimeProvider.System);
        var exitCode = await SmsMcpCommandLine.RunAsync(args, context, CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
