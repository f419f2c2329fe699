using System.CommandLine;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Audit;

/// <summary>
/// <c>smsmcp audit verify|export</c>: placeholder for the audit chain commands (built in this folder separately).
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var audit = new Command("audit", "Verify the sealed audit trail and export it.");
        foreach (var name in new[] { "verify", "export" })
        {
            var sub = new Command(name, "Not built yet.");
            sub.SetAction(context, options, "audit " + name, (_, _, _) =>
                throw new CommandFailure(ExitCodes.Unavailable, "not_built", "audit " + name + " is not built yet."));
            audit.Subcommands.Add(sub);
        }

        return audit;
    }
}
