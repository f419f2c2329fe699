using SmsMcp.Core.Vocabulary;


namespace SmsMcp.Core.Quotas;

/// <summary>The scopes a send reserves in, in order, and what it costs; or why it cannot be planned (<c>price_unknown</c>).</summary>
public sealed record QuotaPlan(IReadOnlyList<QuotaScope> Scopes, QuotaCharge Charge, Refusal? Refusal);
