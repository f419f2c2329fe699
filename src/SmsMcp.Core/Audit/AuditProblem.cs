namespace SmsMcp.Core.Audit;

/// <summary>
/// One finding of <see cref="AuditVerifier"/>: the record (row key = audit record id) where the trail stops being
/// trustworthy, what is wrong and a sentence for the operator. The detail names fields and ids, never values.
/// </summary>
public sealed record AuditProblem(DateOnly Day, string RecordId, AuditProblemKind Kind, string Detail);
