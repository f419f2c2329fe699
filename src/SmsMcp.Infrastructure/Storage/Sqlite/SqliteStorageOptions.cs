namespace SmsMcp.Infrastructure.Storage.Sqlite;

/// <summary>Where and how <see cref="SqliteTableStore"/> keeps its tables. Invalid values throw when the store is constructed.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The default database file, relative to the working directory.</summary>
    public const string DefaultPath = ".smsmcp/smsmcp.db";

    /// <summary>
    /// The database file; relative paths resolve against the working directory when the store is constructed.
    /// Default: <see cref="DefaultPath"/>. The file and its parent directory are created when missing.
    /// Several processes may share one file (it is switched to WAL mode on first use). Security: the file holds
    /// quotas and the audit trail in clear; keep it in a directory only the server's account can write.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// How long an operation waits for another connection or process that holds the write lock before it fails with
    /// <see cref="StorageUnavailableException"/>. Default: 5 seconds. Range: 1 second to 10 minutes.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
