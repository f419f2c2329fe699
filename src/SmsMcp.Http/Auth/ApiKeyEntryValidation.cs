using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth;

/// <summary>
/// The checks every configured key list shares (<c>Auth:Callers</c>, <c>Admin:Keys</c>): a valid id, a salt and a
/// hash of the right sizes, no id twice. Failures name the field, never a key or hash value.
/// </summary>
public static class ApiKeyEntryValidation
{
    public static void Validate(IReadOnlyList<ApiKeyCallerOptions> entries, string section, List<string> failures)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var path = $"{section}:{i}";
            if (!CallerIdentity.IsValidId(entry.Id))
            {
                failures.Add($"{path}:Id must be 1-64 of letters, digits, '-', '_', '.', ':'.");
            }

            if (!IsBase64OfLength(entry.KeySalt, ApiKeyHash.SaltBytes))
            {
                failures.Add($"{path}:KeySalt must be base64 of {ApiKeyHash.SaltBytes} bytes (use 'hash-key').");
            }

            if (!IsBase64OfLength(entry.KeyHash, ApiKeyHash.HashBytes))
            {
                failures.Add($"{path}:KeyHash must be base64 of {ApiKeyHash.HashBytes} bytes (use 'hash-key').");
            }
        }

        foreach (var duplicate in entries.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{section}: id '{duplicate.Key}' appears more than once.");
        }
    }

    private static bool IsBase64OfLength(string value, int length)
    {
        var buffer = new byte[length + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == length;
    }
}
