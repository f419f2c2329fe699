namespace SmsMcp.Core.Delivery;

/// <summary>A caller's delivery failures reported on one UTC day.</summary>
public sealed record DeliveryFailureTotals(long Undelivered, long Failed);
