namespace SmsMcp.Core.Delivery;

/// <summary>What one reconciliation run did.</summary>
/// <param name="Examined">Pending-index entries read.</param>
/// <param name="Fetched">Messages fetched from the carrier.</param>
/// <param name="Applied">Fetches that moved a status forward.</param>
/// <param name="Settled">Entries removed because their message was already final or gone.</param>
/// <param name="WithoutCarrierId">Messages that cannot be fetched: no carrier id (an unknown outcome only a callback can settle).</param>
/// <param name="Errors">Fetches or updates that failed (retried on the next run).</param>
public sealed record ReconciliationSummary(int Examined, int Fetched, int Applied, int Settled, int WithoutCarrierId, int Errors);
