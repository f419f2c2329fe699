using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Server.Tests.Infrastructure;

/// <summary>
/// Signs requests the way Twilio does (<c>X-Twilio-Signature</c>), so tests can play Twilio calling the status webhook:
/// HMAC-SHA1 keyed with the auth token over the URL followed by each parameter name and value, names sorted (a repeated
/// name: its distinct values sorted), base64. The SDK checks signatures but does not make them; this signer is itself
/// checked against twilio-node (TwilioSignatureCrossCheckTests).
/// </summary>
public static class TwilioSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var group in parameters.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in group.Select(p => p.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(group.Key).Append(value);
            }
        }

        // SHA-1 is Twilio's choice.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
