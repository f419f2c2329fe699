using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Policy;

/// <summary><c>policy test</c>: each case through the server's preview path (<see cref="OfflineEngine"/>), compared with what it expects.</summary>
internal static class PolicyTest
{
    /// <summary>The tools' refusal of a missing or mistyped argument (the server's <c>ToolResults.InvalidArgumentsCode</c>).</summary>
    public const string InvalidArguments = "invalid_arguments";

    public static async Task<int> RunAsync(CliContext context, FileInfo policyFile, FileInfo casesFile, bool json, CancellationToken cancellationToken)
    {
        var policy = PolicyFile.Read(policyFile);
        _ = policy.Valid;
        var cases = PolicyCases.Read(casesFile);

        var outcomes = new List<PolicyCaseOutcome>(cases.Cases.Count);
        await using (var engine = await OfflineEngine.StartAsync(policy.Path, context.Time, cancellationToken))
        {
            for (var i = 0; i < cases.Cases.Count; i++)
            {
                var c = cases.Cases[i];

                // The MCP tools refuse a missing or null argument before the send walk starts, as the server answers it.
                var code = c.To is null || c.Body is null
                    ? InvalidArguments
                    : (await engine.PreviewAsync(c.Caller, c.To, c.Body, cancellationToken)).Refusal?.Code;
                var passed = c.Expect == (code ?? PolicyCases.Allowed) || (c.Expect == PolicyCases.Refused && code is not null);
                outcomes.Add(new PolicyCaseOutcome(i, c.Name ?? $"case {i + 1}", c.Caller, c.Expect, code is null ? PolicyCases.Allowed : PolicyCases.Refused, code, passed));
            }
        }

        var failed = outcomes.Count(o => !o.Passed);
        var exitCode = failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        if (json)
        {
            return JsonAnswer.Write(context, "policy test", exitCode, new PolicyTestResult(policyFile.Name, policy.Valid.Version, outcomes.Count - failed, failed, outcomes));
        }

        var table = new Table().Title($"{Markup.Escape(policyFile.Name)} × {Markup.Escape(casesFile.Name)}")
            .AddColumn("#").AddColumn("Case").AddColumn("Caller").AddColumn("Expected").AddColumn("Actual").AddColumn("");
        foreach (var o in outcomes)
        {
            table.AddRow((o.Index + 1).ToString(), Markup.Escape(o.Name), Markup.Escape(o.Caller), Markup.Escape(o.Expect),
                Markup.Escape(o.ReasonCode ?? o.Decision), o.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
        }

        context.Console.Write(table);
        context.Console.MarkupLine(failed == 0
            ? $"[green]{outcomes.Count} case(s) pass.[/]"
            : $"[red]{failed} of {outcomes.Count} case(s) disagree with the policy.[/]");
        return exitCode;
    }
}

/// <summary>One case's verdict; <see cref="ReasonCode"/> is null when the send would be allowed.</summary>
internal sealed record PolicyCaseOutcome(int Index, string Name, string Caller, string Expect, string Decision, string? ReasonCode, bool Passed);

internal sealed record PolicyTestResult(string Policy, string Version, int Passed, int Failed, IReadOnlyList<PolicyCaseOutcome> Cases);
