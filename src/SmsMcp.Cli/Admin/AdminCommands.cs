using System.CommandLine;
using System.Net;
using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Admin;

/// <summary><c>smsmcp controls|approvals|usage</c>: the <c>/admin</c> API from the terminal. Every change is audited by the server first.</summary>
internal static class AdminCommands
{
    public static IEnumerable<Command> Create(CliContext context, GlobalOptions options) =>
        [Controls(context, options), Approvals(context, options), Usage(context, options)];

    private static Argument<string> BaseUrl() => new("base-url") { Description = "The deployment's base URL." };

    private static Option<string?> AdminKey() => new("--admin-key") { Description = $"The operator key (default: ${AdminClient.KeyVariable})." };

    private static AdminClient Client(CliContext context, ParseResult parse, Argument<string> baseUrl, Option<string?> adminKey)
    {
        if (!Uri.TryCreate(parse.GetRequiredValue(baseUrl), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CommandFailure(ExitCodes.Usage, "usage", "base-url must be an absolute http(s) URL.");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            // The operator key is a bearer credential: it never crosses the network in clear.
            throw new CommandFailure(ExitCodes.Usage, "usage", "base-url must be https outside loopback (the operator key would travel in clear).");
        }

        var key = parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable(AdminClient.KeyVariable);
        return string.IsNullOrWhiteSpace(key)
            ? throw new CommandFailure(ExitCodes.Usage, "admin_key_missing", $"Give --admin-key or set {AdminClient.KeyVariable}.")
            : new AdminClient(new Uri(url.GetLeftPart(UriPartial.Authority) + "/"), key, context.HandlerFactory);
    }

    private static Command Controls(CliContext context, GlobalOptions options)
    {
        var baseUrl = BaseUrl();
        var adminKey = AdminKey();
        var caller = new Option<string?>("--caller") { Description = "One caller's controls instead of the global ones." };
        var killSwitch = new Option<string?>("--kill-switch") { Description = "on: stop every send (suspend); off: resume." };
        var dryRun = new Option<string?>("--dry-run") { Description = "on: check and audit sends but send nothing; off: send again." };
        killSwitch.AcceptOnlyFromAmong("on", "off");
        dryRun.AcceptOnlyFromAmong("on", "off");
        var command = new Command("controls", "Show the kill switch and dry run (globally or for one caller); --kill-switch/--dry-run on|off flips them.")
        {
            baseUrl, adminKey, caller, killSwitch, dryRun,
        };
        command.SetAction(context, options, "controls", async (parse, json, ct) =>
        {
            using var client = Client(context, parse, baseUrl, adminKey);
            var prefix = parse.GetValue(caller) is { } id ? $"callers/{Uri.EscapeDataString(id)}/" : "";
            var states = new List<ControlState>();
            foreach (var (path, value) in new[] { ("kill-switch", parse.GetValue(killSwitch)), ("dry-run", parse.GetValue(dryRun)) })
            {
                var (_, state) = value is null
                    ? await client.SendAsync<ControlState>(HttpMethod.Get, prefix + path, null, ct)
                    : await client.SendAsync<ControlState>(HttpMethod.Put, prefix + path, new ControlChange(value == "on"), ct);
                states.Add(state ?? throw new CommandFailure(ExitCodes.Unavailable, "bad_answer", $"/admin/{prefix}{path} answered nothing."));
            }

            if (json)
            {
                return JsonAnswer.Write(context, "controls", ExitCodes.Ok, new ControlsResult(states));
            }

            var table = new Table().Title(parse.GetValue(caller) is { } who ? $"Controls for caller {Markup.Escape(who)}" : "Global controls")
                .AddColumn("Control").AddColumn("State").AddColumn("Changed by").AddColumn("Changed at (UTC)");
            foreach (var state in states)
            {
                table.AddRow(Markup.Escape(state.Control), state.Engaged ? "[red]ENGAGED[/]" : "[green]off[/]",
                    Markup.Escape(state.ChangedBy ?? "-"), state.ChangedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") ?? "-");
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Approvals(CliContext context, GlobalOptions options)
    {
        var approvals = new Command("approvals", "First-contact requests waiting for an operator: list, approve, deny.");

        var listUrl = BaseUrl();
        var listKey = AdminKey();
        var list = new Command("list", "List pending requests (never the recipient or the text).") { listUrl, listKey };
        list.SetAction(context, options, "approvals list", async (parse, json, ct) =>
        {
            using var client = Client(context, parse, listUrl, listKey);
            var (_, items) = await client.SendAsync<ApprovalItem[]>(HttpMethod.Get, "approvals", null, ct);
            items ??= [];
            if (json)
            {
                return JsonAnswer.Write(context, "approvals list", ExitCodes.Ok, new ApprovalsResult(items));
            }

            if (items.Length == 0)
            {
                context.Console.MarkupLine("[green]No request is waiting.[/]");
                return ExitCodes.Ok;
            }

            var table = new Table().Title($"{items.Length} pending first contact(s)")
                .AddColumn("Request").AddColumn("Caller").AddColumn("Created (UTC)").AddColumn("Expires (UTC)");
            foreach (var item in items)
            {
                table.AddRow(Markup.Escape(item.RequestId), Markup.Escape(item.CallerId),
                    item.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"), item.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        });
        approvals.Subcommands.Add(list);
        approvals.Subcommands.Add(Resolve(context, options, "approve", "Approve a request: the send is checked again and goes out."));
        approvals.Subcommands.Add(Resolve(context, options, "deny", "Deny a request: nothing is sent."));
        return approvals;
    }

    private static Command Resolve(CliContext context, GlobalOptions options, string verb, string description)
    {
        var baseUrl = BaseUrl();
        var adminKey = AdminKey();
        var requestId = new Argument<string>("request-id") { Description = "The request id (approvals list)." };
        var command = new Command(verb, description) { baseUrl, requestId, adminKey };
        command.SetAction(context, options, "approvals " + verb, async (parse, json, ct) =>
        {
            using var client = Client(context, parse, baseUrl, adminKey);
            var id = parse.GetRequiredValue(requestId);
            var (status, decision) = await client.SendAsync<ApprovalDecision>(HttpMethod.Post, $"approvals/{Uri.EscapeDataString(id)}/{verb}", null, ct,
                HttpStatusCode.Conflict, HttpStatusCode.Gone);
            var exitCode = status == HttpStatusCode.OK ? ExitCodes.Ok : ExitCodes.Refused;
            var outcome = status switch
            {
                HttpStatusCode.Conflict => "already resolved",
                HttpStatusCode.Gone => "expired (nothing was sent)",
                _ => decision?.State ?? verb,
            };
            if (json)
            {
                return JsonAnswer.Write(context, "approvals " + verb, exitCode, new ApprovalResolution(id, outcome, decision?.Status, decision?.ReasonCode));
            }

            var detail = decision?.ReasonCode is { } code ? $" (send refused: {code})" : decision?.Status is { } sent ? $" (message {sent})" : "";
            context.Console.MarkupLine(exitCode == ExitCodes.Ok
                ? $"[green]{Markup.Escape(id)}: {Markup.Escape(outcome)}{Markup.Escape(detail)}[/]"
                : $"[yellow]{Markup.Escape(id)}: {Markup.Escape(outcome)}[/]");
            return exitCode;
        });
        return command;
    }

    private static Command Usage(CliContext context, GlobalOptions options)
    {
        var baseUrl = BaseUrl();
        var adminKey = AdminKey();
        var command = new Command("usage", "Usage per caller today and this month, and each caller's own limits, as a bar chart.") { baseUrl, adminKey };
        command.SetAction(context, options, "usage", async (parse, json, ct) =>
        {
            using var client = Client(context, parse, baseUrl, adminKey);
            var (_, callers) = await client.SendAsync<CallerUsage[]>(HttpMethod.Get, "usage", null, ct);
            callers ??= [];
            if (json)
            {
                return JsonAnswer.Write(context, "usage", ExitCodes.Ok, new UsageResult(callers));
            }

            UsageChart.Write(context.Console, callers);
            return ExitCodes.Ok;
        });
        return command;
    }
}

internal sealed record ControlsResult(IReadOnlyList<ControlState> Controls);

internal sealed record ApprovalsResult(IReadOnlyList<ApprovalItem> Pending);

internal sealed record ApprovalResolution(string RequestId, string Outcome, string? Status, string? ReasonCode);

internal sealed record UsageResult(IReadOnlyList<CallerUsage> Callers);
