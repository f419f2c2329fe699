using SmsMcp.Cli.Output;
using Spectre.Console;

namespace SmsMcp.Cli.Policy;

/// <summary><c>policy check</c>: the validation the server runs at start, each fault with its field path.</summary>
internal static class PolicyCheck
{
    public static int Run(CliContext context, FileInfo file, bool json)
    {
        var policy = PolicyFile.Read(file);
        var exitCode = policy.Policy is null ? ExitCodes.Failed : ExitCodes.Ok;
        var errors = policy.Errors.Select(PolicyFile.Split).Select(e => new PolicyCheckError(e.Field, e.Message)).ToList();
        if (json)
        {
            return JsonAnswer.Write(context, "policy check", exitCode, new PolicyCheckResult(file.Name, policy.Policy is not null, policy.Policy?.Version, errors));
        }

        if (policy.Policy is { } valid)
        {
            context.Console.MarkupLine($"[green]✓[/] {Markup.Escape(file.Name)} is valid ({valid.Profiles.Count} profile(s), {valid.Callers.Count} caller(s), {valid.Recipients.Count} recipient(s)); version {Markup.Escape(valid.Version)}");
            return exitCode;
        }

        var table = new Table().Title($"[red]{Markup.Escape(file.Name)}: {errors.Count} error(s)[/]").AddColumn("Field").AddColumn("Problem");
        foreach (var error in errors)
        {
            table.AddRow(Markup.Escape(error.Field), Markup.Escape(error.Message));
        }

        context.Console.Write(table);
        return exitCode;
    }
}

internal sealed record PolicyCheckError(string Field, string Message);

internal sealed record PolicyCheckResult(string File, bool Valid, string? Version, IReadOnlyList<PolicyCheckError> Errors);
