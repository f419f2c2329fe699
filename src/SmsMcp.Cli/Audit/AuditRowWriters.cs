using System.Globalization;
using System.Text.Json;
using SmsMcp.Core.Storage;

namespace SmsMcp.Cli.Audit;

/// <summary>Writes stored audit entities one at a time (the export's formats).</summary>
internal interface IAuditRowWriter
{
    Task WriteHeaderAsync();

    Task WriteAsync(TableEntity entity);
}

/// <summary>
/// How a stored value is written: strings, numbers and booleans as themselves, times as ISO 8601 UTC with ticks
/// (<c>O</c>), GUIDs as text, binary as base64 — the stored value can be read back exactly.
/// </summary>
internal static class AuditValues
{
    public static void Write(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case string s: json.WriteString(name, s); break;
            case int i: json.WriteNumber(name, i); break;
            case long l: json.WriteNumber(name, l); break;
            case double d: json.WriteNumber(name, d); break;
            case bool b: json.WriteBoolean(name, b); break;
            default: json.WriteString(name, Text(value)); break;
        }
    }

    public static string Text(object value) => value switch
    {
        string s => s,
        DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        Guid g => g.ToString("D"),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>JSON lines: one object per record, <c>PartitionKey</c> (the UTC day), <c>RowKey</c> (the record id), then every stored property.</summary>
internal sealed class JsonlAuditRowWriter(TextWriter writer) : IAuditRowWriter
{
    public Task WriteHeaderAsync() => Task.CompletedTask;

    public async Task WriteAsync(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("PartitionKey", entity.PartitionKey);
            json.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                AuditValues.Write(json, name, value);
            }

            json.WriteEndObject();
        }

        await writer.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

/// <summary>
/// CSV (RFC 4180): the record's fields in fixed columns; any other stored property (one added by hand) in the last
/// column as a JSON object, so nothing stored is left out.
/// </summary>
internal sealed class CsvAuditRowWriter(TextWriter writer) : IAuditRowWriter
{
    public const string OtherColumn = "Other";

    public static readonly string[] Columns =
    [
        "PartitionKey", "RowKey", "Time", "CallerId", "Tool", "RecipientRef", "BodyHash", "BodyLength", "Segments", "Stage", "Decision",
        "ReasonCode", "MessageId", "CompletedAt", "PolicyVersion", "SealWriter", "SealSeq", "SealPrev", "Seal", "OutcomeSeal",
    ];

    public Task WriteHeaderAsync() => writer.WriteLineAsync(string.Join(",", Columns.Append(OtherColumn)));

    public async Task WriteAsync(TableEntity entity)
    {
        var cells = Columns.Select(c => c switch
        {
            "PartitionKey" => entity.PartitionKey,
            "RowKey" => entity.RowKey,
            _ => entity.Properties.TryGetValue(c, out var value) ? AuditValues.Text(value) : "",
        }).ToList();
        var others = entity.Properties.Where(p => !Columns.Contains(p.Key, StringComparer.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        cells.Add(others.Count == 0 ? "" : OtherJson(others));
        await writer.WriteLineAsync(string.Join(",", cells.Select(Quote)));
    }

    private static string OtherJson(List<KeyValuePair<string, object>> properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                AuditValues.Write(json, name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (cell[0] == ' ' || cell[^1] == ' '))
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;
}
