namespace SmsMcp.Infrastructure.Storage.AuditHeads;

/// <summary>
/// Where the audit trail's chain heads are published (configuration section <c>AuditHeads</c>); see
/// <see cref="Core.Audit.AuditHeadPublisher"/>. Set at most one of <see cref="BlobContainerUri"/>,
/// <see cref="ConnectionString"/> and <see cref="Directory"/>.
/// </summary>
public sealed class AuditHeadLogOptions
{
    public const string SectionName = "AuditHeads";

    /// <summary>Default of <see cref="ContainerName"/>.</summary>
    public const string DefaultContainerName = "audit-heads";

    /// <summary>The folder of the local head log, beside the SQLite database by default.</summary>
    public const string DefaultDirectoryName = "audit-heads";

    /// <summary>
    /// Azure: the blob container of the head log, <c>https://{account}.blob.core.windows.net/audit-heads</c> (https
    /// required), reached with the managed identity (<c>Storage:ManagedIdentityClientId</c>, else
    /// <c>DefaultAzureCredential</c>), which needs "Storage Blob Data Contributor" on it. Give the container a time-based
    /// immutability policy that allows protected append writes (infra/ does): the app can then append heads but
    /// neither the app nor anyone with the data-plane role can rewrite or delete them before the period ends.
    /// Default: none.
    /// </summary>
    public Uri? BlobContainerUri { get; set; }

    /// <summary>
    /// Instead of <see cref="BlobContainerUri"/>: a storage connection string with an account key, for the emulator
    /// (Azurite serves blobs but does not enforce immutability policies). Never logged. Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>With <see cref="ConnectionString"/>: the container's name. Default: <c>audit-heads</c>.</summary>
    public string ContainerName { get; set; } = DefaultContainerName;

    /// <summary>
    /// Local: the folder of the append-only head log files (one <c>yyyyMMdd.jsonl</c> per publication day). Default:
    /// <c>audit-heads</c> beside the SQLite database when <c>Storage:Provider</c> is <c>Sqlite</c>; with Azure Tables
    /// and none of these settings, no heads are published and tail deletion stays undetectable. Security: whoever can
    /// write this folder can truncate its newest lines; put it where the server's account can append but others cannot
    /// write (or ship it elsewhere), since a local file is only as immutable as its permissions.
    /// </summary>
    public string? Directory { get; set; }
}
