using System.CommandLine;
using SmsMcp.Cli.Output;

namespace SmsMcp.Cli.Audit;

/// <summary><c>smsmcp audit verify|export</c>: the sealed audit trail read straight from its store.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var audit = new Command("audit", "Verify the sealed audit trail and export it.");

        var verifySource = new AuditTrailSource();
        var verifyFrom = new Option<DateOnly?>("--from") { Description = "First UTC day (yyyy-MM-dd). Default: six days before --to." };
        var verifyTo = new Option<DateOnly?>("--to") { Description = "Last UTC day (yyyy-MM-dd), included. Default: today." };
        var verify = new Command("verify", "Check every record's seals and chain, and the trail against the published chain heads; names the first edited, deleted, inserted or reordered record.")
        {
            verifyFrom, verifyTo,
        };
        verifySource.AddTo(verify, withHeadsAndKey: true);
        verify.SetAction(context, options, "audit verify", (parse, json, ct) =>
        {
            var to = parse.GetValue(verifyTo) ?? DateOnly.FromDateTime(context.Time.GetUtcNow().UtcDateTime);
            var from = parse.GetValue(verifyFrom) ?? to.AddDays(-6);
            return from > to
                ? throw new CommandFailure(ExitCodes.Usage, "usage", "--from is after --to.")
                : AuditVerify.RunAsync(context, verifySource, parse, from, to, json, ct);
        });

        var exportSource = new AuditTrailSource();
        var exportFrom = new Option<DateOnly>("--from") { Description = "First UTC day (yyyy-MM-dd).", Required = true };
        var exportTo = new Option<DateOnly>("--to") { Description = "Last UTC day (yyyy-MM-dd), included.", Required = true };
        var format = new Option<string>("--format") { Description = "jsonl (one object per record) or csv.", DefaultValueFactory = _ => AuditExport.Jsonl };
        format.AcceptOnlyFromAmong(AuditExport.Jsonl, AuditExport.Csv);
        var output = new Option<FileInfo>("--output") { Description = "Write the records to this file (default: stdout). Required with --json." };
        var export = new Command("export", "Stream the stored records of a range of days (pseudonymised as stored, seals included) as JSON lines or CSV.")
        {
            exportFrom, exportTo, format, output,
        };
        exportSource.AddTo(export, withHeadsAndKey: false);
        export.SetAction(context, options, "audit export", (parse, json, ct) =>
            AuditExport.RunAsync(context, exportSource, parse, parse.GetValue(exportFrom), parse.GetValue(exportTo),
                parse.GetValue(format)!, parse.GetValue(output), json, ct));

        audit.Subcommands.Add(verify);
        audit.Subcommands.Add(export);
        return audit;
    }
}
