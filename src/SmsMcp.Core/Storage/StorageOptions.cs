namespace SmsMcp.Core.Storage;

/// <summary>Which table backend holds quotas, audit and messages (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// <c>Sqlite</c> (embedded). Required outside Development; in Development defaults to <c>Sqlite</c>.
    /// (<c>AzureTables</c> arrives with the Table Storage issue.)
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>The SQLite database file. Default: <c>smsmcp.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }
}
