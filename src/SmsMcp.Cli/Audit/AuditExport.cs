using System.Globalization;
using System.Text;
using SmsMcp.Cli.Output;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using Spectre.Console;

namespace SmsMcp.Cli.Audit;

/// <summary>
/// <c>audit export</c>: the stored records of a range of days, exactly as stored (pseudonyms and digests, seals, any
/// property added by hand), streamed a page at a time so memory stays bounded whatever the range.
/// </summary>
internal static class AuditExport
{
    public const string Jsonl = "jsonl";
    public const string Csv = "csv";

    public static async Task<int> RunAsync(CliContext context, AuditTrailSource source, System.CommandLine.ParseResult parse,
        DateOnly from, DateOnly to, string format, FileInfo? output, bool json, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            throw new CommandFailure(ExitCodes.Usage, "usage", "--from is after --to.");
        }

        if (json && output is null)
        {
            throw new CommandFailure(ExitCodes.Usage, "usage", "--json needs --output: the records go to the file, the JSON answer to stdout.");
        }

        var trail = source.Open(parse);
        var records = 0;
        var writer = output is null ? context.Output : new StreamWriter(output.FullName, append: false, new UTF8Encoding(false));
        try
        {
            IAuditRowWriter rows = format == Csv ? new CsvAuditRowWriter(writer) : new JsonlAuditRowWriter(writer);
            await rows.WriteHeaderAsync();
            await foreach (var entity in AuditLog.ReadStoredAsync(trail.Store, from, to, cancellationToken))
            {
                await rows.WriteAsync(entity);
                if (++records % 1000 == 0)
                {
                    await writer.FlushAsync(cancellationToken);
                }
            }

            await writer.FlushAsync(cancellationToken);
        }
        catch (StorageException e)
        {
            throw new CommandFailure(ExitCodes.Unavailable, "storage_unavailable", e.Message);
        }
        finally
        {
            if (output is not null)
            {
                await writer.DisposeAsync();
            }
        }

        var result = new AuditExportResult(trail.Description, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), format, output?.FullName, records);
        if (json)
        {
            return JsonAnswer.Write(context, "audit export", ExitCodes.Ok, result);
        }

        // With no --output the records own stdout; the summary goes to stderr.
        var summary = $"Exported {records} record(s) of {result.Store}, {result.From} to {result.To}, as {format}{(output is null ? "" : " to " + output.FullName)}.";
        if (output is null)
        {
            await context.Error.WriteLineAsync(summary);
        }
        else
        {
            context.Console.WriteLine(summary);
        }

        return ExitCodes.Ok;
    }
}

internal sealed record AuditExportResult(string Store, string From, string To, string Format, string? Output, int Records);
