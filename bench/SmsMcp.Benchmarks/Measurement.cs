namespace SmsMcp.Benchmarks;

/// <summary>Latencies of one load run.</summary>
public sealed record Measurement(string Server, string Operation, int Concurrency, TimeSpan Duration, IReadOnlyList<double> LatenciesMs, int Errors)
{
    public double RequestsPerSecond => LatenciesMs.Count / Duration.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}
