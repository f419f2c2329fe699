using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>
/// The guard pipeline's added latency per send: <see cref="SendPipeline"/> composed in process exactly as the server
/// composes it (<c>AddSmsMcpCore</c>: policy, runtime controls, suppression, idempotency, whatever reservation steps
/// the pipeline has, audit, message record, usage), with the sandbox provider, one send at a time. "Guard" time is the
/// send's time minus the provider call's. Storage round trips are counted per operation by a decorator around the
/// real table store. No HTTP, no MCP: those are measured by the server benchmark.
/// </summary>
public static class PipelineBenchmark
{
    private static readonly CallerIdentity Caller = new("dev");

    public static async Task RunAsync(int sends)
    {
        Console.WriteLine($"# Guard pipeline — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {sends} sequential sends per row (after {Warmup(sends)} discarded)");
        Console.WriteLine();
        var rows = new List<Row>();
        foreach (var withKey in new[] { false, true })
        {
            rows.Add(await MeasureAsync("SQLite", null, withKey, sends));
        }

        await using (var azurite = await AzuriteEmulator.StartAsync())
        {
            foreach (var withKey in new[] { false, true })
            {
                rows.Add(await MeasureAsync("Azurite", azurite.ConnectionString, withKey, sends));
            }
        }

        Console.WriteLine("| store | send | p50 ms | p99 ms | guard p50 ms | guard p99 ms | provider p50 ms | refused |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Store} | {r.Scenario} | {Percentile(r.TotalMs, 50):F2} | {Percentile(r.TotalMs, 99):F2} | {Percentile(r.GuardMs, 50):F2} | {Percentile(r.GuardMs, 99):F2} | {Percentile(r.ProviderMs, 50):F2} | {r.Refused} |");
        }

        Console.WriteLine();
        Console.WriteLine("Storage round trips per send:");
        Console.WriteLine();
        Console.WriteLine($"| store | send | {string.Join(" | ", CountingTableStore.Operations)} | total |");
        Console.WriteLine($"|---|---|{string.Concat(CountingTableStore.Operations.Select(_ => "---|"))}---|");
        foreach (var r in rows)
        {
            var perSend = CountingTableStore.Operations.Select(o => (double)r.Calls.GetValueOrDefault(o) / r.TotalMs.Count).ToList();
            Console.WriteLine($"| {r.Store} | {r.Scenario} | {string.Join(" | ", perSend.Select(Format))} | {Format(perSend.Sum())} |");
        }

        Console.WriteLine();
        foreach (var r in rows.Where(r => r.Store == rows[0].Store))
        {
            var byTable = r.Calls.Where(c => c.Value > 0 && c.Key.Contains(' ', StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => $"{c.Key} {((double)c.Value / r.TotalMs.Count).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}");
            Console.WriteLine($"By table ({r.Scenario}): {string.Join(", ", byTable)}.");
        }
    }

    private static string Format(double perSend) => perSend.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    private static int Warmup(int sends) => Math.Max(50, sends / 10);

    private static async Task<Row> MeasureAsync(string storeName, string? azuriteConnectionString, bool withKey, int sends)
    {
        var data = Directory.CreateTempSubdirectory("smsmcp-bench-pipeline-").FullName;
        try
        {
            var services = BenchComposition.Services(data, BenchPolicy.Json, azuriteConnectionString);
            CountingTableStore? counting = null;
            TimedSmsProvider? timed = null;
            BenchComposition.Decorate<ITableStore>(services, inner => counting = new CountingTableStore(inner));
            BenchComposition.Decorate<ISmsProvider>(services, inner => timed = new TimedSmsProvider(inner));
            await using var provider = services.BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None); // creates the tables, whichever the stores need
            }

            var pipeline = provider.GetRequiredService<SendPipeline>();
            var run = Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < Warmup(sends); i++)
            {
                await SendAsync(pipeline, withKey, $"warm-{run}-{i}");
            }

            var before = counting!.Snapshot();
            var total = new List<double>(sends);
            var guard = new List<double>(sends);
            var providerMs = new List<double>(sends);
            var refused = 0;
            for (var i = 0; i < sends; i++)
            {
                var inProvider = timed!.Elapsed;
                var started = Stopwatch.GetTimestamp();
                var outcome = await SendAsync(pipeline, withKey, $"send-{run}-{i}");
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var providerPart = (timed.Elapsed - inProvider).TotalMilliseconds;
                refused += outcome.Refusal is null ? 0 : 1;
                total.Add(elapsed);
                providerMs.Add(providerPart);
                guard.Add(elapsed - providerPart);
            }

            var after = counting.Snapshot();
            return new Row(storeName, withKey ? "with idempotency key" : "no key", total, guard, providerMs, refused,
                after.ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key)));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static Task<SendOutcome> SendAsync(SendPipeline pipeline, bool withKey, string id) =>
        pipeline.SendAsync(new SendRequest(Caller, "demo", "Benchmark message " + id, withKey ? id : null), CancellationToken.None);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }

    private sealed record Row(string Store, string Scenario, List<double> TotalMs, List<double> GuardMs, List<double> ProviderMs, int Refused, Dictionary<string, int> Calls);
}
