using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Core.Audit;

/// <summary>
/// Keyed HMAC-SHA256 pseudonyms for phone numbers and bodies, so the audit trail can tell "the same
/// recipient again" without holding the number. A plain hash would not do: phone numbers are few
/// enough to brute-force, so the key (kept out of storage) is what protects them.
/// </summary>
public sealed class Pseudonymizer
{
    /// <summary>Shortest key accepted: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _key;

    public Pseudonymizer(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The pseudonymization key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>A stable pseudonym for an E.164 number ("r_" + 32 hex digits).</summary>
    public string Recipient(string e164) => "r_" + Mac("recipient", e164)[..32];

    /// <summary>
    /// A stable pseudonym for a number range: the E.164 number without its last four digits ("p_" + 32 hex
    /// digits), so per-prefix quotas never store the range in clear.
    /// </summary>
    public string Prefix(string e164Prefix) => "p_" + Mac("prefix", e164Prefix)[..32];

    /// <summary>A keyed digest of a message body (64 hex digits).</summary>
    public string Body(string body) => Mac("body", body);

    /// <summary>A keyed digest binding several values, for comparing requests without storing them.</summary>
    public string Request(params string[] parts) => Mac("request", string.Join('\u001f', parts));

    private string Mac(string purpose, string value)
    {
        var data = Encoding.UTF8.GetBytes(purpose + "\u001f" + value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, data));
    }
}
