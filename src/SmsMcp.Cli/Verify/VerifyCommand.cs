using System.CommandLine;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Verify;

/// <summary><c>smsmcp verify &lt;base-url&gt; [--key|--token] [--admin-key]</c>: probe a deployment from outside. Never sends an SMS.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var baseUrl = new Argument<Uri>("base-url") { Description = "The deployment's base URL (https://…; http only on loopback)." };
        var key = new Option<string?>("--key") { Description = "A caller API key: adds the tool-surface and preview checks." };
        var token = new Option<string?>("--token") { Description = "An OAuth access token for a caller (instead of --key)." };
        var adminKey = new Option<string?>("--admin-key") { Description = "An operator key: checks /admin answers it (and only it)." };
        var command = new Command("verify", "Probe a running deployment from outside and print a pass/fail line per check. Never sends an SMS.")
        {
            baseUrl, key, token, adminKey,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(key) is not null && result.GetValue(token) is not null)
            {
                result.AddError("Give --key or --token, not both.");
            }
        });
        command.SetAction(context, options, "verify", (parse, json, ct) =>
            throw new CommandFailure(ExitCodes.Unavailable, "not_built", "verify is not built yet."));
        return command;
    }
}
