using System.Globalization;
using SmsMcp.Cli.Output;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using Spectre.Console;

namespace SmsMcp.Cli.Audit;

/// <summary>
/// <c>audit verify</c>: <see cref="AuditVerifier"/> over a range of days of the configured store, with the published
/// chain heads when a head log is configured. Exit 1 names the first edited, deleted, inserted or reordered record.
/// </summary>
internal static class AuditVerify
{
    public static async Task<int> RunAsync(CliContext context, AuditTrailSource source, System.CommandLine.ParseResult parse,
        DateOnly from, DateOnly to, bool json, CancellationToken cancellationToken)
    {
        var trail = source.Open(parse);
        var sealer = source.Sealer(parse, trail);
        var heads = source.OpenHeads(trail);
        AuditVerification verification;
        try
        {
            verification = await new AuditVerifier(trail.Store, sealer, heads).VerifyAsync(from, to, cancellationToken);
        }
        catch (StorageException e)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "storage_unavailable", e.Message);
        }

        var exitCode = verification.IsIntact ? ExitCodes.Ok : ExitCodes.Failed;
        var result = new AuditVerifyResult(
            trail.Description,
            from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            verification.IsIntact,
            verification.Records,
            verification.Completed,
            verification.Chains,
            verification.Pending,
            new AuditHeadsResult(heads is not null, heads?.Location, verification.HeadsChecked ?? 0,
                verification.LatestHead is { } latest ? new AuditLatestHead(latest.Sequence, latest.PublishedAt, latest.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null),
            verification.Uncovered,
            verification.FirstProblem is { } first ? Finding(first) : null,
            [.. verification.Problems.Select(Finding)]);
        if (json)
        {
            return JsonAnswer.Write(context, "audit verify", exitCode, result);
        }

        Render(context.Console, result);
        return exitCode;
    }

    private static AuditFinding Finding(AuditProblem problem) =>
        new(problem.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), problem.RecordId, KindName(problem.Kind), problem.Detail);

    /// <summary>The stable snake_case names scripts see (schema: audit-verify.schema.json).</summary>
    internal static string KindName(AuditProblemKind kind) => kind switch
    {
        AuditProblemKind.Edited => "edited",
        AuditProblemKind.Deleted => "deleted",
        AuditProblemKind.Inserted => "inserted",
        AuditProblemKind.Reordered => "reordered",
        AuditProblemKind.HeadEdited => "head_edited",
        AuditProblemKind.HeadDeleted => "head_deleted",
        AuditProblemKind.HeadInserted => "head_inserted",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void Render(IAnsiConsole console, AuditVerifyResult result)
    {
        console.MarkupLine($"Audit trail {Markup.Escape(result.Store)}, {result.From} to {result.To} (UTC days)");
        console.MarkupLine($"  {result.Records} record(s) in {result.Chains} writer chain(s): {result.Completed} completed, {result.Pending.Count} pending (attempts never completed: reconcile them with the provider).");
        if (result.Heads.Configured)
        {
            var latest = result.Heads.Latest is { } l ? $"latest head #{l.Sequence} published {l.PublishedAt:O}" : "no head published in the range";
            console.MarkupLine($"  Heads: {result.Heads.Checked} checkpoint(s) from {Markup.Escape(result.Heads.Location ?? "")}; {Markup.Escape(latest)}; {result.Uncovered} record(s) newer than every head (their deletion is not yet detectable).");
        }
        else
        {
            console.MarkupLine("  [yellow]Heads: no head log is configured (AuditHeads:*): deleting the newest records of a chain is not detectable.[/]");
        }

        if (result.Intact)
        {
            console.MarkupLine("[green]✓ The trail is intact.[/]");
            return;
        }

        var first = result.FirstProblem!;
        console.MarkupLine($"[red]✗ First problem: {Markup.Escape(first.Kind)} — {Markup.Escape(first.RecordId)} ({first.Day})[/]");
        var table = new Table().AddColumn("Day").AddColumn("Record").AddColumn("Kind").AddColumn("What");
        foreach (var problem in result.Problems)
        {
            table.AddRow(problem.Day, Markup.Escape(problem.RecordId), $"[red]{Markup.Escape(problem.Kind)}[/]", Markup.Escape(problem.Detail));
        }

        console.Write(table);
    }
}

internal sealed record AuditVerifyResult(
    string Store, string From, string To, bool Intact, int Records, int Completed, int Chains, IReadOnlyList<string> Pending,
    AuditHeadsResult Heads, int Uncovered, AuditFinding? FirstProblem, IReadOnlyList<AuditFinding> Problems);

internal sealed record AuditHeadsResult(bool Configured, string? Location, int Checked, AuditLatestHead? Latest);

internal sealed record AuditLatestHead(long Sequence, DateTimeOffset PublishedAt, string Day);

internal sealed record AuditFinding(string Day, string RecordId, string Kind, string Detail);
