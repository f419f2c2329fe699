namespace SmsMcp.Core.Audit;

/// <summary>
/// Where chain heads are published: somewhere the application can append to but not rewrite later (an append blob
/// under a time-based immutability policy in Azure; an append-only file locally). One page per UTC publication day,
/// each a list of JSON lines (<see cref="AuditHeadCheckpoint.ToJsonLine"/>).
/// </summary>
public interface IAuditHeadLog
{
    /// <summary>Where the log lives, for messages (never a key or a connection string).</summary>
    string Location { get; }

    /// <summary>The lines published on <paramref name="publishedOn"/>, in order; an empty page when there are none.</summary>
    Task<AuditHeadLogPage> ReadAsync(DateOnly publishedOn, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one line to the page of <paramref name="publishedOn"/> if the page is still at <paramref name="version"/>
    /// (null: the page must not exist yet), and returns its new version. Throws
    /// <see cref="Storage.PreconditionFailedException"/> when someone appended in between, and
    /// <see cref="Storage.StorageUnavailableException"/> when the log cannot be reached.
    /// </summary>
    Task<string> AppendAsync(DateOnly publishedOn, string line, string? version, CancellationToken cancellationToken);
}
