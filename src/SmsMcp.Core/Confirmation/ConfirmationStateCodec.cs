using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Core.Confirmation;

/// <summary>
/// Turns a <see cref="ConfirmationState"/> into the opaque <c>requestState</c> string the client echoes back, and back
/// again only when it is exactly what this server issued: base64url of
/// <c>version (1) | nonce (16) | expiry ms (8) | request digest (32) | caller id (UTF-8)</c> followed by an
/// HMAC-SHA256 of all of it. Anything else — another key, one changed bit, a non-canonical encoding, a truncation —
/// decodes to null. The string is readable by the client (it holds nothing the client did not send) but not forgeable.
/// </summary>
/// <remarks>Security: the keys never leave this object and are never logged.</remarks>
public sealed class ConfirmationStateCodec
{
    /// <summary>Shortest key accepted: 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    private const byte Version = 1;
    private const int NonceBytes = 16;
    private const int DigestBytes = 32;
    private const int MacBytes = 32;
    private const int HeaderBytes = 1 + NonceBytes + sizeof(long) + DigestBytes;

    // HKDF "info" labels: keys derived for confirmations never collide with pseudonyms or audit seals of the same base key.
    private static ReadOnlySpan<byte> DerivationLabel => "smsmcp/confirmation-state/v1"u8;
    private static ReadOnlySpan<byte> MacLabel => "mac"u8;
    private static ReadOnlySpan<byte> DigestLabel => "request-digest"u8;

    private readonly byte[] _macKey;
    private readonly byte[] _digestKey;

    public ConfirmationStateCodec(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(key.Length, MinimumKeyBytes, nameof(key));
        _macKey = Derive(key, MacLabel);
        _digestKey = Derive(key, DigestLabel);
    }

    /// <summary>A codec whose key is derived (HKDF-SHA256, own purpose label) from the pseudonymization key.</summary>
    public static ConfirmationStateCodec FromPseudonymizationKey(byte[] pseudonymizationKey) =>
        new(Derive(pseudonymizationKey, DerivationLabel));

    /// <summary>
    /// A keyed digest (hex) of everything that makes a send what it is; a state answers only the request it was issued
    /// for. Keyed, so the digest in a state tells nobody anything about the message.
    /// </summary>
    public string RequestDigest(string callerId, string profile, string? to, string? body, string? idempotencyKey)
    {
        using var hmac = new HMACSHA256(_digestKey);
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (var part in new[] { "send_sms", callerId, profile, to, body, idempotencyKey })
        {
            // Length-prefixed (-1 for absent), so no two field lists run together into the same bytes.
            BinaryPrimitives.WriteInt32BigEndian(length, part is null ? -1 : Encoding.UTF8.GetByteCount(part));
            buffer.Write(length);
            if (part is not null)
            {
                buffer.Write(Encoding.UTF8.GetBytes(part));
            }
        }

        return Convert.ToHexStringLower(hmac.ComputeHash(buffer.ToArray()));
    }

    /// <summary>A new state with a fresh random nonce.</summary>
    public static ConfirmationState NewState(string callerId, string requestDigest, DateTimeOffset expiresAt) =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceBytes)), callerId, requestDigest, expiresAt);

    private static byte[] Derive(byte[] key, ReadOnlySpan<byte> label)
    {
        var derived = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, derived, salt: [], info: label);
        return derived;
    }

    public string Encode(ConfirmationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var caller = Encoding.UTF8.GetBytes(state.CallerId);
        var bytes = new byte[HeaderBytes + caller.Length + MacBytes];
        bytes[0] = Version;
        Convert.FromHexString(state.Nonce).CopyTo(bytes, 1);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + NonceBytes), state.ExpiresAt.ToUnixTimeMilliseconds());
        Convert.FromHexString(state.RequestDigest).CopyTo(bytes, 1 + NonceBytes + sizeof(long));
        caller.CopyTo(bytes, HeaderBytes);
        HMACSHA256.HashData(_macKey, bytes.AsSpan(0, bytes.Length - MacBytes), bytes.AsSpan(bytes.Length - MacBytes));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The state, or null when <paramref name="token"/> is not exactly a state this key issued.</summary>
    public ConfirmationState? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        // Only the one canonical spelling is accepted: otherwise unused trailing bits could change without the MAC noticing.
        if (bytes.Length < HeaderBytes + MacBytes || !string.Equals(Base64Url.EncodeToString(bytes), token, StringComparison.Ordinal))
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        HMACSHA256.HashData(_macKey, bytes.AsSpan(0, bytes.Length - MacBytes), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(bytes.Length - MacBytes)) || bytes[0] != Version)
        {
            return null;
        }

        var expiresMs = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + NonceBytes));
        if (expiresMs < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || expiresMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        string caller;
        try
        {
            caller = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.AsSpan(HeaderBytes, bytes.Length - HeaderBytes - MacBytes));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return new ConfirmationState(
            Convert.ToHexStringLower(bytes.AsSpan(1, NonceBytes)),
            caller,
            Convert.ToHexStringLower(bytes.AsSpan(1 + NonceBytes + sizeof(long), DigestBytes)),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresMs));
    }
}
