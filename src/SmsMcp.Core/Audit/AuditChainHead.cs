namespace SmsMcp.Core.Audit;

/// <summary>
/// Where one writer's chain for one day stood when a head was published: its length (the sequence number of its last
/// record, chains count from 1), the last record's id and that record's attempt seal (the digest the chain links).
/// </summary>
public sealed record AuditChainHead(string Writer, long Count, string LastRecordId, string LastSeal);
