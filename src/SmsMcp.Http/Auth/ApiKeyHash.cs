using System.Security.Cryptography;
using System.Text;

namespace SmsMcp.Http.Auth;

/// <summary>
/// A salted SHA-256 of an API key. Generated keys carry 256 bits of randomness, so a slow password hash
/// would add latency to every request without adding strength; the salt keeps equal keys apart.
/// </summary>
public sealed class ApiKeyHash
{
    public const int SaltBytes = 16;

    /// <summary>Size of a stored hash (SHA-256).</summary>
    public const int HashBytes = SHA256.HashSizeInBytes;

    /// <summary>
    /// Least length of a development key (<see cref="DevelopmentCallerKey"/>), the only key seen in plain text here:
    /// configured keys arrive as hashes, so their length cannot be checked (generate them with <see cref="NewKey"/>).
    /// </summary>
    public const int MinimumKeyLength = 24;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    public ApiKeyHash(byte[] salt, byte[] hash)
    {
        _salt = salt;
        _hash = hash;
    }

    /// <summary>The hash of a configured entry (<c>Auth:Callers</c>, <c>Admin:Keys</c>), already validated by <see cref="ApiKeyEntryValidation"/>.</summary>
    public static ApiKeyHash FromOptions(ApiKeyCallerOptions entry) =>
        new(Convert.FromBase64String(entry.KeySalt), Convert.FromBase64String(entry.KeyHash));

    public static ApiKeyHash Create(string key)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new ApiKeyHash(salt, Compute(salt, key));
    }

    /// <summary>A new random key: "smk_" + 43 base64url characters.</summary>
    public static string NewKey() => "smk_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public string SaltBase64 => Convert.ToBase64String(_salt);

    public string HashBase64 => Convert.ToBase64String(_hash);

    /// <summary>Constant-time comparison: timing does not reveal how much of a guess was right.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Compute(_salt, presented), _hash);

    private static byte[] Compute(byte[] salt, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var data = new byte[salt.Length + keyBytes.Length];
        salt.CopyTo(data, 0);
        keyBytes.CopyTo(data, salt.Length);
        return SHA256.HashData(data);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
