using Microsoft.Extensions.Options;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.Infrastructure.Storage;

/// <summary>
/// Checks the <c>Storage</c> section at start; every failure names the setting. Messages never echo a connection
/// string or any part of it, since it holds the account key.
/// </summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider is null)
        {
            return ValidateOptionsResult.Fail(
                "Storage:Provider is not set. Outside Development the storage backend must be chosen explicitly (Sqlite or AzureTables).");
        }

        if (IsProvider(options, StorageOptions.SqliteProvider))
        {
            return ValidateOptionsResult.Success;
        }

        if (!IsProvider(options, StorageOptions.AzureTablesProvider))
        {
            return ValidateOptionsResult.Fail("Storage:Provider must be 'Sqlite' or 'AzureTables'.");
        }

        var failures = new List<string>();
        var hasUri = options.TableServiceUri is not null;
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasUri == hasConnectionString)
        {
            failures.Add("With Storage:Provider 'AzureTables' set exactly one of Storage:TableServiceUri (managed identity) and Storage:ConnectionString (account key, for the emulator).");
        }

        if (options.TableServiceUri is { } uri && !(uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttps))
        {
            failures.Add("Storage:TableServiceUri must be an absolute https URI such as https://{account}.table.core.windows.net.");
        }

        if (hasConnectionString && !AzureTableStore.IsUsableConnectionString(options.ConnectionString!))
        {
            // Nothing of the string itself: it holds the account key.
            failures.Add("Storage:ConnectionString is not usable: it must be UseDevelopmentStorage=true or name AccountName, AccountKey (base64) and a table endpoint.");
        }

        if (options.ManagedIdentityClientId is { } clientId && (!Guid.TryParse(clientId, out _) || !hasUri))
        {
            failures.Add("Storage:ManagedIdentityClientId must be a client id (GUID) and is used only with Storage:TableServiceUri.");
        }

        if (options.RequestTimeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(100) || timeout > TimeSpan.FromMinutes(2)))
        {
            failures.Add("Storage:RequestTimeout must be between 00:00:00.1 and 00:02:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsProvider(StorageOptions options, string provider) =>
        string.Equals(options.Provider, provider, StringComparison.OrdinalIgnoreCase);
}
