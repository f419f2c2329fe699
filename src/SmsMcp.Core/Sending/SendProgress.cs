using SmsMcp.Core.Audit;
using SmsMcp.Core.Idempotency;
using SmsMcp.Core.Quotas;

namespace SmsMcp.Core.Sending;

/// <summary>
/// What one send walk holds so far (its audit record, idempotency claim, quota reservation, write-ahead audit entry),
/// so that a walk cancelled before the provider call can give each back and still leave its one audit record.
/// </summary>
internal sealed class SendProgress(AuditRecord record)
{
    public AuditRecord Record { get; } = record;

    public IdempotencyClaim? Claim { get; set; }

    public QuotaReservation? Reservation { get; set; }

    public AuditHandle? Audit { get; set; }

    /// <summary>Set just before the provider call: from then on the message may be out and nothing is given back.</summary>
    public bool ProviderCalled { get; set; }
}
