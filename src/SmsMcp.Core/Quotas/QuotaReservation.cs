namespace SmsMcp.Core.Quotas;

/// <summary>
/// What a send holds in the ledger: <see cref="Charge"/> added to each of <see cref="Scopes"/> in
/// <see cref="Windows"/>. <see cref="Id"/> tells this reservation's writes from everyone else's.
/// </summary>
public sealed record QuotaReservation(string Id, QuotaWindows Windows, QuotaCharge Charge, IReadOnlyList<QuotaScope> Scopes);
