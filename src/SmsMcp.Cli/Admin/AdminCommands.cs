using System.CommandLine;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Admin;

/// <summary><c>smsmcp controls|approvals|usage</c>: the <c>/admin</c> API from the terminal.</summary>
internal static class AdminCommands
{
    public static IEnumerable<Command> Create(CliContext context, GlobalOptions options)
    {
        var controls = new Command("controls", "Show or flip the kill switch and dry run, globally or for one caller.");
        controls.SetAction(context, options, "controls", (parse, json, ct) =>
            throw new CommandFailure(ExitCodes.Unavailable, "not_built", "controls is not built yet."));
        var approvals = new Command("approvals", "List pending first-contact approvals; approve or deny one.");
        approvals.SetAction(context, options, "approvals", (parse, json, ct) =>
            throw new CommandFailure(ExitCodes.Unavailable, "not_built", "approvals is not built yet."));
        var usage = new Command("usage", "Usage per caller against its quotas, as a bar chart.");
        usage.SetAction(context, options, "usage", (parse, json, ct) =>
            throw new CommandFailure(ExitCodes.Unavailable, "not_built", "usage is not built yet."));
        return [controls, approvals, usage];
    }
}
