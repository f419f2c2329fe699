using System.Text;
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
/// <item>A JSON body must be UTF-8: the SDK hashes the body as a string, and two different invalid byte sequences would
/// decode to the same one.</item>
/// </list>
/// We pass the URL we rebuilt from configuration (<see cref="WebhookOptions.PublicBaseUrl"/>) plus the raw path and query,
/// which is exactly the string Twilio requested.
/// </remarks>
public static class TwilioSignatureValidator
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

        return Checked(() => new RequestValidator(authToken).Validate(url, byName, signature));
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

        return Checked(() => new RequestValidator(authToken).Validate(url, text, signature));
    }

    private static bool Checked(Func<bool> validate)
    {
        try
        {
            return validate();
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
