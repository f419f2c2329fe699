namespace SmsMcp.Core.Policy;

/// <summary>The detectors' rule names: the first half of every alert's dedupe key, and what <c>watchdog.critical</c> lists.</summary>
public static class WatchdogRule
{
    public const string VolumeSpike = "volume_spike";
    public const string NewCountry = "new_country";
    public const string HighCostCountry = "high_cost_country";
    public const string SpendCap = "spend_cap";
    public const string SmsPumping = "sms_pumping";
    public const string UndeliveredRise = "undelivered_rise";
    public const string RefusalSpike = "refusal_spike";
    public const string ApprovalQueue = "approval_queue";
    public const string WatchdogSilent = "watchdog_silent";

    public static IReadOnlyList<string> All { get; } =
        [VolumeSpike, NewCountry, HighCostCountry, SpendCap, SmsPumping, UndeliveredRise, RefusalSpike, ApprovalQueue, WatchdogSilent];
}
