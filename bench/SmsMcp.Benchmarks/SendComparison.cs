using System.Globalization;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>
/// Before/after on a busy machine: the peer's trivial send_sms, a baseline build's guarded send_sms and a candidate
/// build's, interleaved round by round in one run, so that load which comes and goes hits all three alike. Reports
/// each round's ratio to the peer and the median over rounds.
/// </summary>
public static class SendComparison
{
    public static async Task RunAsync(string baselineDll, string candidateDll, int rounds, int concurrency, TimeSpan duration)
    {
        var root = RepositoryPaths.Root;
        using var client = Load.Client();
        var send = Load.Call("send_sms", """{"to":"demo","body":"hi"}""");
        Console.WriteLine($"# send_sms before/after — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {rounds} rounds, {duration.TotalSeconds:F0} s per run, {concurrency} workers, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"baseline: {baselineDll}");
        Console.WriteLine($"candidate: {candidateDll}");
        Console.WriteLine();
        Console.WriteLine("| round | peer trivial req/s | baseline req/s | baseline p50 ms | baseline ratio | candidate req/s | candidate p50 ms | candidate ratio | baseline RSS MiB | candidate RSS MiB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var baselineRatios = new List<double>();
        var candidateRatios = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            Measurement peer;
            await using (var ts = ServerUnderTest.StartTypeScriptPeer(root))
            {
                await Load.ColdStartAsync(ts, client);
                peer = await Load.RunAsync(ts, client, "send_sms", _ => send, concurrency, duration);
            }

            var (baseline, baselineRss) = await MeasureAsync(root, client, baselineDll, send, concurrency, duration);
            var (candidate, candidateRss) = await MeasureAsync(root, client, candidateDll, send, concurrency, duration);
            baselineRatios.Add(baseline.RequestsPerSecond / peer.RequestsPerSecond);
            candidateRatios.Add(candidate.RequestsPerSecond / peer.RequestsPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {peer.RequestsPerSecond:F0} | {baseline.RequestsPerSecond:F0} | {baseline.Percentile(50):F2} | {baselineRatios[^1]:F2} | {candidate.RequestsPerSecond:F0} | {candidate.Percentile(50):F2} | {candidateRatios[^1]:F2} | {baselineRss:F0} | {candidateRss:F0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Median ratio to the peer: baseline {Median(baselineRatios):F2}, candidate {Median(candidateRatios):F2}"));
    }

    private static async Task<(Measurement Sends, double PeakRssMiB)> MeasureAsync(
        string root, HttpClient client, string dll, string send, int concurrency, TimeSpan duration)
    {
        Environment.SetEnvironmentVariable("SMSMCP_BENCH_SERVER", dll);
        await using var server = ServerUnderTest.StartSmsMcp(root);
        await Load.ColdStartAsync(server, client);
        var sends = await Load.RunAsync(server, client, "send_sms", _ => send, concurrency, duration);
        return (sends, server.PeakMemoryMiB);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
