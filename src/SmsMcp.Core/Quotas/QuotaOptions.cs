namespace SmsMcp.Core.Quotas;

/// <summary>How long the quota ledger keeps retrying under contention (configuration section <c>Quotas</c>).</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    /// <summary>
    /// How long one reservation or release may retry on a ledger entity other instances keep changing, before the
    /// send is refused <c>storage_unavailable</c> (fail closed). Default 5 s; 1 s to 60 s. A deadline rather than
    /// an attempt count, so that hundreds of concurrent sends on one entity end up refused by the quota (whose
    /// check needs only a read) rather than by contention.
    /// </summary>
    public TimeSpan ContentionDeadline { get; set; } = TimeSpan.FromSeconds(5);
}
