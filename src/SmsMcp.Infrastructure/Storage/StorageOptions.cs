namespace SmsMcp.Infrastructure.Storage;

/// <summary>Which table backend holds quotas, audit and messages (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The <see cref="Provider"/> value of the embedded SQLite store.</summary>
    public const string SqliteProvider = "Sqlite";

    /// <summary>The <see cref="Provider"/> value of Azure Table Storage.</summary>
    public const string AzureTablesProvider = "AzureTables";

    /// <summary>
    /// <c>Sqlite</c> (embedded, single machine) or <c>AzureTables</c> (production; required for more than one instance).
    /// Required outside Development; in Development defaults to <c>Sqlite</c>.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>The SQLite database file. Default: <c>smsmcp.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// AzureTables with Entra ID: the Table service endpoint, <c>https://{account}.table.core.windows.net</c> (https
    /// required). The server authenticates with <see cref="ManagedIdentityClientId"/>'s managed identity when set, else
    /// with <c>DefaultAzureCredential</c> (the app's managed identity in Azure, a developer login locally). It needs the
    /// "Storage Table Data Contributor" role on the account. Default: none. Set this or <see cref="ConnectionString"/>.
    /// </summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>
    /// AzureTables with an account key (shared key): a storage connection string, meant for the emulator
    /// (<c>UseDevelopmentStorage=true</c>, or Azurite's <c>AccountName</c>/<c>AccountKey</c>/<c>TableEndpoint</c>).
    /// Security: an account key grants full control of the whole account and must never be logged; production uses
    /// <see cref="TableServiceUri"/> with a managed identity and accounts with shared-key access disabled. Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// With <see cref="TableServiceUri"/>: the client id (a GUID) of the user-assigned managed identity to use, instead of
    /// <c>DefaultAzureCredential</c>. Default: none.
    /// </summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// AzureTables: the deadline of one storage operation including retries; a slower store is treated as unavailable
    /// and sends are refused (fail closed). Default: 5 seconds. Range: 100 ms to 2 minutes.
    /// </summary>
    public TimeSpan? RequestTimeout { get; set; }
}
