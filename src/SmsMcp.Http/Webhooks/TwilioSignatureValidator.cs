using System.Text;
using System.Text.RegularExpressions;
using Twilio.Security;

namespace SmsMcp.Http.Webhooks;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the Twilio SDK's <see cref="RequestValidator"/> (HMAC-SHA1 keyed with the auth
/// token over the full public URL and the sorted form parameters; the URL is also tried with and without the scheme's
/// default port; a JSON body is signed through the URL's <c>bodySHA256</c>). Cross-checked against twilio-node in the tests.
/// What is ours is only where the SDK would not fail closed.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A repeated parameter name is refused: <see cref="RequestValidator"/> takes a dictionary (one value per name), so it
/// cannot check what Twilio signed for several values, and Twilio's status callbacks never repeat a name.</item>
/// <item>The SDK throws on an empty signature, on a URL <see cref="Uri"/> cannot parse and on a <c>bodySHA256</c> without a
/// value; each of these is a refusal here, never a 500 for a request nobody has authenticated yet.</item>
/// <item>The URL is also tried with the scheme's default port written out and with any port removed, because Twilio may
/// have signed either: the SDK means to do that too, but it asks <see cref="Uri"/> whether the URL has a port, which says no
/// for a default port written out, so a URL with <c>:443</c> is never tried without it there.</item>
/// <item>A JSON body must be UTF-8: the SDK hashes the body as a string, and two different invalid byte sequences would
/// decode to the same one.</item>
/// </list>
/// We pass the URL we rebuilt from configuration (<see cref="WebhookOptions.PublicBaseUrl"/>) plus the raw path and query,
/// which is exactly the string Twilio requested.
/// </remarks>
public static partial class TwilioSignatureValidator
{
    /// <summary>The header Twilio signs requests with.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when <paramref name="signature"/> signs a form-encoded request to <paramref name="url"/> with these parameters.</summary>
    public static bool IsValid(string authToken, string? signature, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (!byName.TryAdd(name, value))
            {
                return false;
            }
        }

        return Checked((validator, variant) => validator.Validate(variant, byName, signature), authToken, url);
    }

    /// <summary>
    /// True when the URL carries <c>bodySHA256</c>, that hash matches <paramref name="body"/> and
    /// <paramref name="signature"/> signs the URL alone (the JSON-body variant).
    /// </summary>
    public static bool IsValidWithBody(string authToken, string? signature, string url, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return Checked((validator, variant) => validator.Validate(variant, text, signature), authToken, url);
    }

    /// <summary>Runs the SDK's check on the URL as given, with the default port and without a port; any exception is a refusal.</summary>
    private static bool Checked(Func<RequestValidator, string, bool> validate, string authToken, string url)
    {
        var validator = new RequestValidator(authToken);
        var valid = false;
        foreach (var variant in (string[])[url, AddPort(url), RemovePort(url)])
        {
            try
            {
                valid |= validate(validator, variant);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or IndexOutOfRangeException)
            {
                // A URL the SDK cannot take apart is not signed by Twilio.
            }
        }

        return valid;
    }

    /// <summary>The URL with the scheme's default port written out (unchanged when it has a port).</summary>
    private static string AddPort(string url)
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
    private static string RemovePort(string url)
    {
        var m = Authority().Match(url);
        return m.Success ? m.Groups["scheme"].Value + m.Groups["user"].Value + m.Groups["host"].Value + url[m.Length..] : url;
    }

    // scheme://[userinfo@]host[:port] — a colon after an IPv6 literal's closing bracket starts the port (as in twilio-node).
    [GeneratedRegex(@"^(?<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<user>[^/?#]*@)?(?<host>\[[^\]/?#]*\]|[^:/?#@]*)(?<port>:[^/?#]*)?")]
    private static partial Regex Authority();
}
