using System.CommandLine;
using SmsMcp.Cli.Admin;
using SmsMcp.Cli.Audit;
using SmsMcp.Cli.Output;
using SmsMcp.Cli.Policy;
using SmsMcp.Cli.Verify;

namespace SmsMcp.Cli;

/// <summary>The <c>smsmcp</c> command tree: one folder per command group, each contributing its commands here.</summary>
internal static class SmsMcpCommandLine
{
    public static RootCommand Build(CliContext context)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("The SmsMcp operator's command line: verify a deployment, test a policy, read the audit trail, drive the admin API.")
        {
            options.Json,
            VerifyCommand.Create(context, options),
            PolicyCommand.Create(context, options),
            AuditCommand.Create(context, options),
        };
        foreach (var admin in AdminCommands.Create(context, options))
        {
            root.Subcommands.Add(admin);
        }

        return root;
    }

    /// <summary>Parse and run; a malformed command line is <see cref="ExitCodes.Usage"/> (the parser's own default is 1).</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parseResult = Build(context).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var message = string.Join(" ", parseResult.Errors.Select(e => e.Message));
            if (args.Contains("--json"))
            {
                return JsonAnswer.WriteError(context, parseResult.CommandResult.Command.Name, ExitCodes.Usage, "usage", message);
            }

            await context.Error.WriteLineAsync($"smsmcp: {message} (smsmcp --help)");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error }, cancellationToken);
    }
}
