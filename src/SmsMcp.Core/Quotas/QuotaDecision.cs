using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Core.Quotas;

/// <summary>Either a <see cref="Reservation"/> to send under, or the <see cref="Refusal"/> of the first scope that said no.</summary>
public sealed record QuotaDecision(QuotaReservation? Reservation, Refusal? Refusal)
{
    public static QuotaDecision Reserved(QuotaReservation reservation) => new(reservation, null);

    public static QuotaDecision Refused(Refusal refusal) => new(null, refusal);
}
