namespace SmsMcp.Core.Quotas;

/// <summary>
/// One scope a reservation counts in, and the windows it was counted in there: usually the reserving instance's
/// current ones, but a newer window another instance had already started when this instance's clock was behind.
/// </summary>
public sealed record QuotaHold(QuotaScope Scope, QuotaWindows Windows);
