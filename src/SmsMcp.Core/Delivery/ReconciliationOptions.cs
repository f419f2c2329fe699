namespace SmsMcp.Core.Delivery;

/// <summary>Reconciliation of messages still without a final status (configuration section <c>Reconciliation</c>).</summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>
    /// A message is fetched from the carrier only once it has waited this long for a final status; younger ones are left
    /// to the status callbacks. Default 10 min (range 1 min–24 h).
    /// </summary>
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far back a run looks. Default 2 days (range 1 h–14 days). A message still not final after this is no longer
    /// fetched (carriers stop reporting; its last known status stands).
    /// </summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(2);

    /// <summary>At most this many carrier fetches per run, so one run stays short and within the carrier's rate limits. Default 200 (1–5000).</summary>
    public int MaxFetchesPerRun { get; set; } = 200;
}
