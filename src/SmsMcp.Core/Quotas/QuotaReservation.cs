namespace SmsMcp.Core.Quotas;

/// <summary>
/// What a send holds in the ledger: <see cref="Charge"/> added in each of <see cref="Holds"/> (a scope and the windows
/// it was counted in). <see cref="Id"/> tells this reservation's writes from everyone else's.
/// </summary>
public sealed record QuotaReservation(string Id, QuotaCharge Charge, IReadOnlyList<QuotaHold> Holds);
