using Microsoft.Extensions.Options;
using SmsMcp.Core.Callers;

namespace SmsMcp.Server.Auth;

/// <summary>Refuses to start on a malformed caller entry, naming the field (never a key or hash value).</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Callers.Count; i++)
        {
            var caller = options.Callers[i];
            var path = $"{AuthOptions.SectionName}:Callers:{i}";
            if (!CallerIdentity.IsValidId(caller.Id))
            {
                failures.Add($"{path}:Id must be 1-64 of letters, digits, '-', '_', '.', ':'.");
            }

            if (!IsBase64OfLength(caller.KeySalt, ApiKeyHash.SaltBytes))
            {
                failures.Add($"{path}:KeySalt must be base64 of {ApiKeyHash.SaltBytes} bytes (use 'hash-key').");
            }

            if (!IsBase64OfLength(caller.KeyHash, 32))
            {
                failures.Add($"{path}:KeyHash must be base64 of 32 bytes (use 'hash-key').");
            }
        }

        for (var i = 0; i < options.Principals.Count; i++)
        {
            var principal = options.Principals[i];
            var path = $"{AuthOptions.SectionName}:Principals:{i}";
            if (!Guid.TryParse(principal.ObjectId, out _))
            {
                failures.Add($"{path}:ObjectId must be a GUID.");
            }

            if (!CallerIdentity.IsValidId(principal.CallerId))
            {
                failures.Add($"{path}:CallerId must be 1-64 of letters, digits, '-', '_', '.', ':'.");
            }
        }

        foreach (var duplicate in options.Callers.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{AuthOptions.SectionName}:Callers: caller id '{duplicate.Key}' appears more than once.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBase64OfLength(string value, int length)
    {
        var buffer = new byte[length + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) && written == length;
    }
}
