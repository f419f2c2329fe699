namespace SmsMcp.Core.Audit;

/// <summary>
/// A record's place in its writer's chain for one day: the writer id, the sequence number (from 1 each day) and the
/// attempt seal of the predecessor (empty for the first record), plus the record's own attempt seal.
/// </summary>
public sealed record AuditChainLink(string Writer, long Sequence, string Previous)
{
    /// <summary>The record's attempt seal; empty until the record is sealed.</summary>
    public string Seal { get; init; } = "";
}
