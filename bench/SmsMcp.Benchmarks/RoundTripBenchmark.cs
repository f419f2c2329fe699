using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Approvals;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>
/// Storage requests per guarded send (issue 16's measure): the pipeline composed by <c>AddSmsMcpCore</c> as the server
/// composes it, a known contact under first-contact approval, one quota scope, watchdog counters included; each request
/// counted by table and operation, before and after the provider call, with the sequential depth (requests issued
/// together share a depth). On SQLite and on Table Storage (Azurite). Counts, not times: the same on any machine.
/// </summary>
public static class RoundTripBenchmark
{
    private const string Marker = "provider";

    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "known": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "approval": "firstContact",
                                   "quotas": { "messagesPerDay": 100000000, "messagesPerMonth": 100000000 } } },
          "callers": { "dev": "known" }
        }
        """;

    public static async Task RunAsync(int sends)
    {
        Console.WriteLine($"# Storage requests per guarded send — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {sends} sends per store after one warm-up send");
        Console.WriteLine();
        Console.WriteLine("Known contact (first-contact approval, contact already in the book), one quota scope, watchdog counters included.");
        Console.WriteLine();
        Console.WriteLine("| store | phase | table | operation | requests per send |");
        Console.WriteLine("|---|---|---|---|---|");
        var summaries = new List<string> { await MeasureAsync("SQLite", null, sends) };
        await using (var azurite = await AzuriteEmulator.StartAsync())
        {
            summaries.Add(await MeasureAsync("Azurite", azurite.ConnectionString, sends));
        }

        Console.WriteLine();
        foreach (var summary in summaries)
        {
            Console.WriteLine(summary);
        }
    }

    private static async Task<string> MeasureAsync(string storeName, string? azuriteConnectionString, int sends)
    {
        var data = Directory.CreateTempSubdirectory("smsmcp-bench-trips-").FullName;
        try
        {
            var services = BenchComposition.Services(data, Policy, azuriteConnectionString);
            CountingTableStore? counting = null;
            BenchComposition.Decorate<ITableStore>(services, inner => counting = new CountingTableStore(inner, measureDepth: true));
            BenchComposition.Decorate<ISmsProvider>(services, inner => new MarkedProvider(inner, () => counting!.Mark(Marker)));
            await using var provider = services.BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            var caller = new CallerIdentity("dev");
            var pipeline = provider.GetRequiredService<SendPipeline>();
            var pseudonymizer = provider.GetRequiredService<Pseudonymizer>();
            await provider.GetRequiredService<ContactBook>().RecordAsync(caller.Id, pseudonymizer.Recipient("+12025550123"), DateTimeOffset.UtcNow, CancellationToken.None);
            await pipeline.SendAsync(new SendRequest(caller, "demo", "warm up"), CancellationToken.None);

            var totals = new Dictionary<(string Phase, string Table, string Operation), int>();
            var depths = new List<int>();
            var refused = 0;
            for (var i = 0; i < sends; i++)
            {
                counting!.Reset();
                var outcome = SingleThreadedContext.Run(() => pipeline.SendAsync(new SendRequest(caller, "demo", "Benchmark message " + i.ToString(CultureInfo.InvariantCulture)), CancellationToken.None));
                refused += outcome.Refusal is null ? 0 : 1;
                var before = counting.Before(Marker);
                depths.Add(before.Count == 0 ? 0 : before.Max(r => r.Depth));
                foreach (var (phase, requests) in new[] { ("before the provider", before), ("after the provider", counting.After(Marker)) })
                {
                    foreach (var r in requests)
                    {
                        totals[(phase, r.Table, r.Operation)] = totals.GetValueOrDefault((phase, r.Table, r.Operation)) + 1;
                    }
                }
            }

            foreach (var ((phase, table, operation), count) in totals.OrderBy(t => t.Key.Phase == "after the provider").ThenBy(t => t.Key.Table, StringComparer.Ordinal).ThenBy(t => t.Key.Operation, StringComparer.Ordinal))
            {
                Console.WriteLine($"| {storeName} | {phase} | {table} | {operation} | {Format((double)count / sends)} |");
            }

            double PerSend(string phase) => (double)totals.Where(t => t.Key.Phase == phase).Sum(t => t.Value) / sends;
            return $"{storeName}: {Format(PerSend("before the provider") + PerSend("after the provider"))} requests per send "
                + $"({Format(PerSend("before the provider"))} before the provider, {Format(PerSend("after the provider"))} after); "
                + $"sequential depth before the provider: median {depths.Order().ElementAt(depths.Count / 2)}, max {depths.Max()}; refused {refused}.";
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private sealed class MarkedProvider(ISmsProvider inner, Action mark) : ISmsProvider
    {
        public string Name => inner.Name;

        public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
        {
            mark();
            return inner.SendAsync(message, cancellationToken);
        }
    }
}
