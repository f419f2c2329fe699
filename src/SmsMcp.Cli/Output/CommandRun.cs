using System.CommandLine;

namespace SmsMcp.Cli.Output;

/// <summary>
/// Runs one command's body with the shared conventions: <c>--json</c> or tables, <see cref="CommandFailure"/> to an
/// exit code, cancellation to <see cref="ExitCodes.Unavailable"/>.
/// </summary>
internal static class CommandRun
{
    public static void SetAction(this Command command, CliContext context, GlobalOptions options, string name,
        Func<ParseResult, bool, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = parseResult.GetValue(options.Json);
            try
            {
                return await body(parseResult, json, cancellationToken);
            }
            catch (CommandFailure failure)
            {
                if (json)
                {
                    return JsonAnswer.WriteError(context, name, failure.ExitCode, failure.Code, failure.Message);
                }

                context.Error.WriteLine($"smsmcp {name}: {failure.Message}");
                return failure.ExitCode;
            }
        });
}
