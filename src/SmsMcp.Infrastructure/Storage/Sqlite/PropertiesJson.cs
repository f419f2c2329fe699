using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>
/// The Properties column: a JSON object of <c>{"Name": {"type": "Edm.Int64", "value": "42"}}</c>. Every value
/// carries its Table Storage type so it comes back as exactly the .NET type it went in as; values whose JSON
/// number form could lose precision (Int64, Double including NaN and infinities) are kept as invariant strings.
/// </summary>
internal static class PropertiesJson
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // One buffer and writer per thread, reused: a fresh buffer grew by doubling from 256 bytes on every write, which
    // made most of a send's garbage (a quota row's nonce list alone is ~2 KiB). Encode never awaits, so a thread's pair
    // is never used by two encodes at once.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The UTF-8 bytes of the JSON, as SQLite stores the TEXT column (no string in between).</summary>
    public static byte[] Encode(IReadOnlyDictionary<string, object> properties)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        var kept = false;
        try
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WriteStartObject(name);
                WriteValue(writer, value);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.Flush();
            var encoded = buffer.WrittenSpan.ToArray();
            // Zeroed, so that the thread does not keep the last entity's values (a pending approval's text, say) around.
            buffer.Clear();
            // A buffer grown by one outsized entity is not kept for the thread's lifetime.
            kept = buffer.Capacity <= 64 * 1024;
            return encoded;
        }
        finally
        {
            // Also after a failed encode, whose bytes may sit unflushed in the buffer: it is let go rather than kept.
            if (!kept)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    /// <summary>Reads the UTF-8 JSON of a TEXT column as SQLite hands it out (copied once into a pooled buffer).</summary>
    /// <exception cref="InvalidDataException">The JSON is not one <see cref="Encode"/> writes.</exception>
    public static Dictionary<string, object> Decode(ReadOnlySpan<byte> utf8Json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(rented);
            return Decode(rented.AsMemory(0, utf8Json.Length));
        }
        finally
        {
            // Cleared: the pool would otherwise hand a stored entity's values to whoever rents the array next.
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    // Every value read is copied out (strings, byte arrays) before the document and its buffer are let go.
    private static Dictionary<string, object> Decode(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            var properties = new Dictionary<string, object>(document.RootElement.GetPropertyCount(), StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                properties.Add(property.Name, ReadValue(property.Value));
            }

            return properties;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException
                                      or KeyNotFoundException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException("Stored entity properties are not in the expected format.", e);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString("type", "Edm.String");
                writer.WriteString("value", s);
                break;
            case int i:
                writer.WriteString("type", "Edm.Int32");
                writer.WriteNumber("value", i);
                break;
            case long l:
                writer.WriteString("type", "Edm.Int64");
                writer.WriteString("value", l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteString("type", "Edm.Double");
                writer.WriteString("value", d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case bool b:
                writer.WriteString("type", "Edm.Boolean");
                writer.WriteBoolean("value", b);
                break;
            case DateTimeOffset t:
                writer.WriteString("type", "Edm.DateTime");
                writer.WriteString("value", t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                break;
            case Guid g:
                writer.WriteString("type", "Edm.Guid");
                writer.WriteString("value", g.ToString("D"));
                break;
            case byte[] bytes:
                writer.WriteString("type", "Edm.Binary");
                writer.WriteBase64String("value", bytes);
                break;
            default:
                // TableStoreRules rejects these before anything is encoded.
                throw new InvalidOperationException("Unsupported property type reached the encoder.");
        }
    }

    private static object ReadValue(JsonElement element)
    {
        var value = element.GetProperty("value");
        return element.GetProperty("type").GetString() switch
        {
            "Edm.String" => RequiredString(value),
            "Edm.Int32" => value.GetInt32(),
            "Edm.Int64" => long.Parse(RequiredString(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            "Edm.Double" => double.Parse(RequiredString(value), NumberStyles.Float, CultureInfo.InvariantCulture),
            "Edm.Boolean" => value.GetBoolean(),
            "Edm.DateTime" => new DateTimeOffset(DateTime.ParseExact(
                RequiredString(value), DateTimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)),
            "Edm.Guid" => Guid.ParseExact(RequiredString(value), "D"),
            "Edm.Binary" => value.GetBytesFromBase64(),
            _ => throw new FormatException("Unknown property type."),
        };
    }

    private static string RequiredString(JsonElement value) =>
        value.GetString() ?? throw new FormatException("A property value is null.");
}
