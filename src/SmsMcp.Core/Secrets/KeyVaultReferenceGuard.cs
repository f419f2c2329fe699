using Microsoft.Extensions.Configuration;

namespace SmsMcp.Core.Secrets;

/// <summary>
/// App Service replaces an app setting written as <c>@Microsoft.KeyVault(SecretUri=…)</c> (or <c>VaultName=…;SecretName=…</c>)
/// with the secret before the app starts. When it cannot — no access to the vault, a wrong name, an identity without the
/// role — the app sees the reference text itself, and would use it as a credential, a key or a URL. Starting is refused
/// instead, naming every such setting by its key (never its value).
/// </summary>
public static class KeyVaultReferenceGuard
{
    /// <summary>The prefix App Service leaves in place when a reference did not resolve.</summary>
    public const string ReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>Keys of every configuration value that still holds an unresolved reference, in key order.</summary>
    public static IReadOnlyList<string> UnresolvedKeys(IConfiguration configuration) =>
        [.. configuration.AsEnumerable()
            .Where(setting => setting.Value is { } value && value.TrimStart().StartsWith(ReferencePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(setting => setting.Key)
            .Order(StringComparer.Ordinal)];

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the keys when any reference is unresolved.</summary>
    public static void ThrowIfUnresolved(IConfiguration configuration)
    {
        var keys = UnresolvedKeys(configuration);
        if (keys.Count > 0)
        {
            throw new InvalidOperationException(
                $"Unresolved App Service Key Vault reference in {string.Join(", ", keys)}: the platform could not read the secret "
                + "(check the app's managed identity, its 'Key Vault Secrets User' role and the secret's name). Refusing to start.");
        }
    }
}
