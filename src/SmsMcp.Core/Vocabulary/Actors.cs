namespace SmsMcp.Core.Vocabulary;

/// <summary>
/// Stable names of the server's own actors, written where the audit trail records who made a change and used as metric
/// tags. Never rename one: operators filter on them.
/// </summary>
public static class Actors
{
    /// <summary>The watchdog, when it engages a caller's kill switch on a critical finding.</summary>
    public const string Watchdog = "watchdog";

    /// <summary>The scheduled job that resolves first-contact approval requests nobody decided within their lifetime.</summary>
    public const string ApprovalExpiry = "approval-expiry";
}
