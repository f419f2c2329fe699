using System.Text;

namespace SmsMcp.Http.Webhooks;

/// <summary>
/// Parses an <c>application/x-www-form-urlencoded</c> body (UTF-8) the way the URL standard does: pairs split on
/// <c>&amp;</c> (empty ones skipped), name and value split at the first <c>=</c> (none: an empty value), <c>+</c> read as
/// a space, then percent-decoded. Never throws, whatever the bytes: the status webhook parses bodies before it knows
/// whether they are signed, so a body ASP.NET's form reader would reject (too many fields, a key too long) must end
/// as a failed signature check, not an exception.
/// </summary>
public static class UrlEncodedForm
{
    /// <summary>The name/value pairs of <paramref name="body"/>, in order, repeated names kept.</summary>
    public static KeyValuePair<string, string>[] Parse(ReadOnlySpan<byte> body) => Parse(Encoding.UTF8.GetString(body));

    /// <summary>The name/value pairs of <paramref name="text"/> (a body already decoded, or a URL's query without its <c>?</c>).</summary>
    public static KeyValuePair<string, string>[] Parse(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(new(Decode(eq < 0 ? pair : pair[..eq]), eq < 0 ? "" : Decode(pair[(eq + 1)..])));
        }

        return [.. pairs];
    }

    // Invalid escapes and escaped bytes that are not UTF-8 are left as written; a signature over them simply fails.
    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));
}
