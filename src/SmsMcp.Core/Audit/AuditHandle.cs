namespace SmsMcp.Core.Audit;

/// <summary>A written attempt record, the ETag needed to complete it, and its place in the writer's seal chain.</summary>
public sealed record AuditHandle(AuditRecord Record, string ETag, AuditChainLink Link);
