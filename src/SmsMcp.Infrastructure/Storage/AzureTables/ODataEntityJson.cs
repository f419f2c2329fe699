using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SmsMcp.Core.Storage;

namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// Entities in the Table service's OData JSON format. Writes annotate every type JSON cannot carry exactly
/// (<c>Name@odata.type</c>: Edm.Int64, Edm.Double, Edm.DateTime, Edm.Guid, Edm.Binary); reads accept minimal and full
/// metadata, infer String/Boolean/Int32/Double where the service leaves a value unannotated, and drop the system
/// properties (Timestamp, odata.*), so an entity comes back as exactly the .NET types it went in as.
/// </summary>
internal static class ODataEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Encode(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="InvalidDataException">The JSON is not an entity as the service sends it.</exception>
    public static TableEntity Decode(JsonElement element, string? etagHeader)
    {
        try
        {
            string? partitionKey = null, rowKey = null, etag = etagHeader;
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal))
                {
                    types[property.Name[..^TypeSuffix.Length]] = property.Value.GetString() ?? throw new FormatException("A type annotation is null.");
                }
            }

            var properties = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "PartitionKey":
                        partitionKey = property.Value.GetString();
                        break;
                    case "RowKey":
                        rowKey = property.Value.GetString();
                        break;
                    case "odata.etag":
                        etag ??= property.Value.GetString();
                        break;
                    case "Timestamp":
                        // The service's own last-modified stamp, not part of what was written.
                        break;
                    default:
                        if (!property.Name.Contains('@', StringComparison.Ordinal) && !property.Name.StartsWith("odata.", StringComparison.Ordinal))
                        {
                            properties.Add(property.Name, ReadValue(property.Value, types.GetValueOrDefault(property.Name)));
                        }

                        break;
                }
            }

            if (partitionKey is null || rowKey is null)
            {
                throw new FormatException("The entity has no keys.");
            }

            return new TableEntity(partitionKey, rowKey, properties) { ETag = etag };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException("The service returned an entity that cannot be read.", e);
        }
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case long l:
                // JSON numbers lose precision past 2^53 in many parsers, the service's included.
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(name, d);
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case double d:
                // JSON has no NaN or infinities; the service takes them as annotated strings.
                writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case DateTimeOffset t:
                writer.WriteString(name, t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            default:
                // TableStoreRules rejects these before anything is encoded.
                throw new InvalidOperationException("Unsupported property type reached the encoder.");
        }
    }

    private static object ReadValue(JsonElement value, string? type) => type switch
    {
        null => Infer(value),
        "Edm.String" => RequiredString(value),
        "Edm.Int32" => value.GetInt32(),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.Int64" => value.ValueKind == JsonValueKind.Number
            ? value.GetInt64()
            : long.Parse(RequiredString(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        "Edm.Double" => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : ParseDouble(RequiredString(value)),
        "Edm.DateTime" => DateTimeOffset.Parse(RequiredString(value), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).ToUniversalTime(),
        "Edm.Guid" => Guid.Parse(RequiredString(value)),
        "Edm.Binary" => value.GetBytesFromBase64(),
        _ => throw new FormatException("Unknown property type."),
    };

    // The service annotates neither Int32 nor finite Doubles, even under full metadata; it tells them apart by always
    // writing a Double with a fraction or an exponent (1.0, never 1). So must we when reading.
    private static object Infer(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') >= 0 => value.GetDouble(),
        JsonValueKind.Number => value.GetInt32(),
        _ => throw new FormatException("A property value has no table type."),
    };

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string RequiredString(JsonElement value) =>
        value.GetString() ?? throw new FormatException("A property value is null.");
}
