namespace SmsMcp.Infrastructure.Storage.AzureTables;

/// <summary>
/// A storage account name and key for the Table service's SharedKeyLite scheme. Meant for the emulator (Azurite) or an
/// explicitly configured connection string; production uses a managed identity (<see cref="AzureTableStoreOptions.Credential"/>).
/// </summary>
/// <remarks>Security: the key grants full control of the account. It is held only as bytes and never printed.</remarks>
public sealed class TableSharedKeyCredential
{
    /// <exception cref="ArgumentException">The account name is empty or the key is not non-empty base64.</exception>
    public TableSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        try
        {
            Key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            // The message names the argument only: echoing a malformed key would leak most of a real one.
            throw new ArgumentException("The account key is not valid base64.", nameof(accountKey), e);
        }

        if (Key.Length == 0)
        {
            throw new ArgumentException("The account key is empty.", nameof(accountKey));
        }
    }

    /// <summary>The storage account name, part of every signed string.</summary>
    public string AccountName { get; }

    internal byte[] Key { get; }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"SharedKey({AccountName})";
}
