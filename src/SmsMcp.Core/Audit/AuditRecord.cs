namespace SmsMcp.Core.Audit;

/// <summary>
/// One audit record: one per send attempt. Holds pseudonyms and digests only — never a raw number or body.
/// </summary>
public sealed record AuditRecord
{
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string CallerId { get; init; }
    public required string Tool { get; init; }

    /// <summary>Keyed pseudonym of the recipient number; null when the input was not a number at all.</summary>
    public string? RecipientRef { get; init; }

    /// <summary>Keyed digest of the body.</summary>
    public required string BodyHash { get; init; }
    public required int BodyLength { get; init; }
    public int Segments { get; init; }
    public required AuditStage Stage { get; init; }
    public required AuditDecision Decision { get; init; }
    public required string ReasonCode { get; init; }
    public string? MessageId { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Version ("sha256:...") of the send policy that decided this attempt; empty in records written before policies existed.</summary>
    public string PolicyVersion { get; init; } = "";
}
