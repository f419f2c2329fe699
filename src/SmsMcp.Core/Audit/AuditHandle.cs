namespace SmsMcp.Core.Audit;

/// <summary>A written attempt record and the ETag needed to complete it.</summary>
public sealed record AuditHandle(AuditRecord Record, string ETag);
