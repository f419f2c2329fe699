using System.Globalization;
using System.Reflection;
using System.Text;
using ModelContextProtocol.Protocol;
using SmsMcp.Http.Hosting;
using SmsMcp.Infrastructure.Telemetry;

namespace SmsMcp.Http.Mcp.Logging;

/// <summary>The structured values of one log event after sanitizing, and the message rendered from them.</summary>
internal sealed class SanitizedLogValues : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Redacted = "[redacted]";
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>
    /// ASP.NET Core's request logs (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>, Information) carry the URL query as
    /// the client sent it: caller text, as much as a body is. The server reads nothing from a query of /mcp.
    /// </summary>
    private const string QueryString = "QueryString";

    /// <summary>
    /// The URL path as ASP.NET Core's request logs (<c>Path</c>), its request scope (<c>RequestPath</c>) and its routing
    /// logs (<c>Path</c>) carry it: any path reaches them, <c>/+15551234567</c> as much as <c>/mcp</c>. Only a path this
    /// server maps exactly is kept; every other, route parameters included, is redacted.
    /// </summary>
    private static readonly HashSet<string> PathKeys = new(StringComparer.Ordinal) { "Path", "RequestPath" };

    /// <summary>
    /// The Host header, HTTP method and Content-Type as ASP.NET Core's request logs carry them: what the client sent,
    /// logged before any guard has refused it. A loopback host, a standard method and a media type this server reads
    /// are kept; anything else is redacted.
    /// </summary>
    private const string HostKey = "Host";

    private const string MethodKey = "Method";

    private const string ContentTypeKey = "ContentType";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" };

    private static readonly HashSet<string> KnownMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8", "text/event-stream",
    };

    /// <summary>Names that are safe to print: every MCP method and notification, and this server's tools.</summary>
    private static readonly HashSet<string> KnownNames = BuildKnownNames();

    private readonly List<KeyValuePair<string, object?>> _values;
    private readonly string _message;

    private SanitizedLogValues(List<KeyValuePair<string, object?>> values, string message)
    {
        _values = values;
        _message = message;
    }

    public int Count => _values.Count;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public static SanitizedLogValues From(IReadOnlyList<KeyValuePair<string, object?>> values, bool redact, Exception? dropped)
    {
        var clean = new List<KeyValuePair<string, object?>>(values.Count + 1);
        string? template = null;
        foreach (var (key, value) in values)
        {
            if (key == OriginalFormat)
            {
                template = value as string;
                continue;
            }

            clean.Add(new(key, redact ? Redact(value)
                : key == QueryString ? RedactQuery(value)
                : PathKeys.Contains(key) ? RedactPath(value)
                : key == HostKey ? RedactHost(value)
                : key == MethodKey ? KeepIf(value, KnownMethods)
                : key == ContentTypeKey ? KeepIf(value, KnownMediaTypes)
                : value is string s ? StripControlCharacters(s) : value));
        }

        var message = template is null
            ? string.Join(", ", clean.Select(p => $"{p.Key}={p.Value}"))
            : Render(template, clean);
        if (dropped is not null)
        {
            // The exception's message and data may quote the request; its type says what kind of failure it was.
            clean.Add(new("ExceptionType", dropped.GetType().FullName));
            message += $" ({dropped.GetType().FullName})";
        }

        if (template is not null)
        {
            clean.Add(new(OriginalFormat, template));
        }

        return new SanitizedLogValues(clean, message);
    }

    public static string StripControlCharacters(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(IsUnsafe(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;

    // Line and paragraph separators end a line in many log viewers as surely as \n does.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085';

    private static object? Redact(object? value) => value switch
    {
        null or bool or Enum or TimeSpan or int or long or double or float => value,
        string s when KnownNames.Contains(s) => s,
        _ => Redacted,
    };

    private static object? RedactQuery(object? value) => string.IsNullOrEmpty(value?.ToString()) ? value : Redacted;

    private static object? RedactHost(object? value) =>
        value?.ToString() is not { Length: > 0 } host || LoopbackHost.IsLoopback(host) ? value : Redacted;

    private static object? KeepIf(object? value, HashSet<string> known) =>
        value?.ToString() is not { Length: > 0 } text || known.Contains(text) ? value : Redacted;

    private static object? RedactPath(object? value) =>
        value?.ToString() is not { Length: > 0 } path || ServedPaths.Contains(path) ? value : Redacted;

    /// <summary>
    /// Fills a message template's holes, honouring <c>{{</c>, <c>}}</c> and formats: each by its name where a value has
    /// that name (states such as ASP.NET Core's request logs list their values in another order than their template),
    /// otherwise in order, as the logging library does.
    /// </summary>
    private static string Render(string template, List<KeyValuePair<string, object?>> values)
    {
        var builder = new StringBuilder(template.Length + 32);
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                builder.Append(c);
                i++;
                continue;
            }

            var close = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (close < 0)
            {
                builder.Append(c);
                continue;
            }

            var hole = template.AsSpan(i + 1, close - i - 1);
            var colon = hole.IndexOf(':');
            var format = colon >= 0 ? hole[(colon + 1)..].ToString() : null;
            var name = (colon >= 0 ? hole[..colon] : hole).ToString().Split(',')[0].Trim();
            var named = values.FindIndex(v => v.Key == name);
            var value = named >= 0 ? values[named].Value : next < values.Count ? values[next].Value : null;
            next++;
            builder.Append(value switch
            {
                null => "(null)",
                IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            });
            i = close;
        }

        return builder.ToString();
    }

    private static HashSet<string> BuildKnownNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { typeof(RequestMethods), typeof(NotificationMethods) })
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                names.Add((string)field.GetRawConstantValue()!);
            }
        }

        names.UnionWith(ToolCatalog.Names);
        return names;
    }
}
