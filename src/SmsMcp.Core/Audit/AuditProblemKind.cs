namespace SmsMcp.Core.Audit;

/// <summary>What <see cref="AuditVerifier"/> found wrong with a record.</summary>
public enum AuditProblemKind
{
    /// <summary>A sealed field (or a field added by hand) differs from what was written.</summary>
    Edited,

    /// <summary>One or more records before the named one in its writer's chain are missing.</summary>
    Deleted,

    /// <summary>A record no valid seal vouches for: forged, unsealed, or sealed with another key.</summary>
    Inserted,

    /// <summary>A genuine record's content sits under another record's row key (moved or swapped).</summary>
    Reordered,

    /// <summary>A published head checkpoint whose seal does not verify, or a line of the head log that is not a checkpoint.</summary>
    HeadEdited,

    /// <summary>Published head checkpoints before the named one are missing from the head log.</summary>
    HeadDeleted,

    /// <summary>A head checkpoint that claims a place in the head log's chain another one already holds.</summary>
    HeadInserted,
}
