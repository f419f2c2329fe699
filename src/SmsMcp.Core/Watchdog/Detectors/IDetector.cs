namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>One anomaly rule over a <see cref="ScanSnapshot"/>: pure, so a scan run twice over the same counters finds the same things.</summary>
public interface IDetector
{
    IEnumerable<Finding> Detect(ScanSnapshot snapshot);
}
