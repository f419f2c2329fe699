using System.CommandLine;
using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Verify;

/// <summary><c>smsmcp verify &lt;base-url&gt; [--key|--token] [--admin-key]</c>: probe a deployment from outside. Never sends an SMS.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var baseUrl = new Argument<string>("base-url") { Description = "The deployment's base URL (https://…; http only on loopback)." };
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

            var url = ParseBaseUrl(result.GetValue(baseUrl));
            if (url is null)
            {
                result.AddError("base-url must be an absolute http(s) URL, such as https://smsmcp.example.com.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback
                && (result.GetValue(key) ?? result.GetValue(token) ?? result.GetValue(adminKey)) is not null)
            {
                // Without credentials the transport line reports plain HTTP; with them the probe itself would leak them.
                result.AddError("--key, --token and --admin-key need https outside loopback: they would travel in clear.");
            }
        });
        command.SetAction(context, options, "verify", (parse, json, ct) =>
            RunAsync(context, ParseBaseUrl(parse.GetRequiredValue(baseUrl))!, new VerifyCredentials(parse.GetValue(key), parse.GetValue(token), parse.GetValue(adminKey)), json, ct));
        return command;
    }

    private static Uri? ParseBaseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : null;

    private static async Task<int> RunAsync(CliContext context, Uri baseUrl, VerifyCredentials credentials, bool json, CancellationToken cancellationToken)
    {
        var root = new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + "/");
        var probe = new DeploymentProbe(root, credentials, context.HandlerFactory);
        var lines = json
            ? await probe.RunAsync(cancellationToken)
            : await context.Console.Status().StartAsync($"Probing {Markup.Escape(root.ToString())}…", _ => probe.RunAsync(cancellationToken));
        var failed = lines.Count(l => l.Status == VerifyStatus.Fail);
        var exitCode = failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        if (json)
        {
            return JsonAnswer.Write(context, "verify", exitCode, new VerifyResult(root.ToString(), lines.Count(l => l.Status == VerifyStatus.Pass), failed,
                lines.Count(l => l.Status == VerifyStatus.Skip), lines));
        }

        var table = new Table().Title($"smsmcp verify {Markup.Escape(root.ToString())}").AddColumn("").AddColumn("Check").AddColumn("Reason");
        foreach (var line in lines)
        {
            table.AddRow(line.Status switch
            {
                VerifyStatus.Pass => "[green]PASS[/]",
                VerifyStatus.Fail => "[red]FAIL[/]",
                _ => "[grey]SKIP[/]",
            }, Markup.Escape(line.Check), Markup.Escape(line.Reason));
        }

        context.Console.Write(table);
        context.Console.MarkupLine(failed == 0
            ? "[green]Locked down: every check passed.[/]"
            : $"[red]{failed} check(s) failed.[/]");
        return exitCode;
    }
}

internal sealed record VerifyResult(string BaseUrl, int Passed, int Failed, int Skipped, IReadOnlyList<VerifyLine> Checks);
