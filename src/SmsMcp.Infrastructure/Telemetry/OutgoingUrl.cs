namespace SmsMcp.Infrastructure.Telemetry;

/// <summary>
/// The URL of a call the server makes, as telemetry may show it: scheme, host and port as configured, and of the path
/// only segments that are plain words (an API's fixed vocabulary: <c>Messages.json</c>, <c>PhoneNumbers</c>, a table
/// name before its key). A segment with a digit, a quote, a percent escape or a plus — a phone number, an account or
/// message id, an entity key — becomes <c>[redacted]</c>; the query goes entirely.
/// </summary>
internal static class OutgoingUrl
{
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return TelemetryRedaction.Redacted;
        }

        var segments = uri.AbsolutePath.Split('/').Select(RedactSegment);
        var query = uri.Query.Length > 1 ? "?" + TelemetryRedaction.Redacted : "";
        return $"{uri.Scheme}://{uri.Authority}{string.Join('/', segments)}{query}";
    }

    private static string RedactSegment(string segment)
    {
        // An entity address such as Contacts(PartitionKey='…',RowKey='…') keeps its table name.
        var open = segment.IndexOf('(');
        if (open > 0 && IsWord(segment[..open]))
        {
            return segment[..open] + "(" + TelemetryRedaction.Redacted + ")";
        }

        return segment.Length == 0 || IsWord(segment) ? segment : TelemetryRedaction.Redacted;
    }

    private static bool IsWord(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetter(c) || c is '.' or '-' or '_');
}
