using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SmsMcp.Http.Webhooks;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> the way Twilio signs it (and its own libraries check it): HMAC-SHA1, keyed with
/// the auth token, over the full public URL followed by every form parameter sorted by name, each name followed
/// by its value (a repeated name: its distinct values sorted), base64-encoded. The URL is tried as given with and
/// without the scheme's default port, because Twilio may have signed either. A JSON body is signed through the URL
/// instead: its query carries <c>bodySHA256</c>, the hex SHA-256 of the raw body, and only the URL is signed.
/// Comparisons are constant-time. Cross-checked against twilio-node in the tests.
/// </summary>
/// <remarks>
/// twilio-node additionally retries URLs re-normalised by <c>new URL()</c> and its legacy query-string encoder;
/// we do not, because we rebuild the URL from configuration (<see cref="WebhookOptions.PublicBaseUrl"/>) plus the
/// raw path and query, which is exactly the string Twilio requested.
/// </remarks>
public static partial class TwilioSignatureValidator
{
    /// <summary>The header Twilio signs requests with.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>True when <paramref name="signature"/> signs a form-encoded request to <paramref name="url"/> with these parameters.</summary>
    public static bool IsValid(string authToken, string? signature, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var list = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. parameters];
        var withoutPort = Matches(signature, Compute(authToken, RemovePort(url), list));
        var withPort = Matches(signature, Compute(authToken, AddPort(url), list));
        return withoutPort | withPort;
    }

    /// <summary>
    /// True when the URL carries <c>bodySHA256</c>, that hash matches <paramref name="body"/> and
    /// <paramref name="signature"/> signs the URL alone (the JSON-body variant).
    /// </summary>
    public static bool IsValidWithBody(string authToken, string? signature, string url, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        var expectedHash = QueryValue(url, "bodySHA256");
        if (string.IsNullOrEmpty(signature) || expectedHash is null)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        var bodyMatches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(Convert.ToHexStringLower(hash)), Encoding.UTF8.GetBytes(expectedHash));
        return IsValid(authToken, signature, url, []) & bodyMatches;
    }

    /// <summary>The signature Twilio would send for this URL (taken as is) and these parameters.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var group in parameters.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Ordinal = UTF-16 code unit order, which is what Twilio's libraries (JavaScript sort) use.
            foreach (var value in group.Select(p => p.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(group.Key).Append(value);
            }
        }

        // SHA-1 is Twilio's choice, not ours; as an HMAC it is still sound (HMAC does not rely on collision resistance).
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>The URL with the scheme's default port written out (unchanged when it has a port).</summary>
    public static string AddPort(string url)
    {
        var m = Authority().Match(url);
        if (!m.Success || m.Groups["port"].Success)
        {
            return url;
        }

        var port = m.Groups["scheme"].Value.Equals("https://", StringComparison.OrdinalIgnoreCase) ? ":443" : ":80";
        return m.Groups["scheme"].Value + m.Groups["user"].Value + m.Groups["host"].Value + port + url[m.Length..];
    }

    /// <summary>The URL without any port.</summary>
    public static string RemovePort(string url)
    {
        var m = Authority().Match(url);
        return m.Success ? m.Groups["scheme"].Value + m.Groups["user"].Value + m.Groups["host"].Value + url[m.Length..] : url;
    }

    private static bool Matches(string signature, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(signature), Encoding.UTF8.GetBytes(expected));

    /// <summary>The first value of query parameter <paramref name="name"/> in <paramref name="url"/>, or null.</summary>
    private static string? QueryValue(string url, string name)
    {
        var fragment = url.IndexOf('#', StringComparison.Ordinal);
        var withoutFragment = fragment < 0 ? url : url[..fragment];
        var query = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        foreach (var (key, value) in UrlEncodedForm.Parse(withoutFragment[(query + 1)..]))
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    // scheme://[userinfo@]host[:port] — a colon after an IPv6 literal's closing bracket starts the port (as in twilio-node).
    [GeneratedRegex(@"^(?<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<user>[^/?#]*@)?(?<host>\[[^\]/?#]*\]|[^:/?#@]*)(?<port>:[^/?#]*)?")]
    private static partial Regex Authority();
}
