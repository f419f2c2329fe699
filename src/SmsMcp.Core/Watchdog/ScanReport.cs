namespace SmsMcp.Core.Watchdog;

/// <summary>What one scan did: how many findings, which alerts it opened and resolved, which callers it suspended.</summary>
public sealed record ScanReport(DateTimeOffset PeriodStart, int Findings, IReadOnlyList<string> Opened, IReadOnlyList<string> Resolved, IReadOnlyList<string> Suspended)
{
    public string Describe() =>
        $"Anomaly scan of {PeriodStart:yyyy-MM-ddTHH:mm}Z: {Findings} finding(s), {Opened.Count} alert(s) opened, {Resolved.Count} resolved, {Suspended.Count} caller(s) suspended.";
}
