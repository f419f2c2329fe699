using System.Buffers.Text;
using System.Text;

namespace SmsMcp.Core.Storage;

/// <summary>
/// The opaque wrapper every backend puts around its resume position: base64url of UTF-8 <c>prefix + payload</c>. The
/// prefix tells a token of this backend (and format version) from anything else a caller might pass back.
/// </summary>
internal static class ContinuationToken
{
    private const string Invalid = "The continuation token was not issued by this store.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string prefix, string payload) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(prefix + payload));

    /// <exception cref="ArgumentException">The token is not base64url of UTF-8 text starting with <paramref name="prefix"/>.</exception>
    public static string Decode(string prefix, string continuationToken)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(Base64Url.DecodeFromChars(continuationToken));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Rejected(nameof(continuationToken), e);
        }

        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw Rejected(nameof(continuationToken));
    }

    /// <summary>The one message for every token a store refuses, so a refusal reveals nothing about why.</summary>
    public static ArgumentException Rejected(string paramName, Exception? inner = null) => new(Invalid, paramName, inner);
}
