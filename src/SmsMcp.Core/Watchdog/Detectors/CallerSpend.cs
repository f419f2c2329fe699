namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>
/// One caller's spend in millionths of the policy currency: used today and this month (the quota ledger's counts), its
/// caps (null when not declared), and the spend of the recent window the rate is taken over.
/// </summary>
public sealed record CallerSpend(long DayMicros, long MonthMicros, long? DayCapMicros, long? MonthCapMicros, long RecentMicros, TimeSpan RecentSpan);
