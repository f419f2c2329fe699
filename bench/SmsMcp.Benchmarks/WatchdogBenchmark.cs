using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Recipients;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Watchdog;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Storage;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>
/// The anomaly scan's time as history grows: synthetic counters for 10k, 100k and 1M messages of history at a fixed
/// rate (20 callers, 1,400 messages an hour between them, spread over many number blocks), the last hour as the send
/// path writes it (one watchdog event per send), then the scan composed by <c>AddSmsMcpCore</c> exactly as the server
/// composes it, on SQLite, timed (median of 5) with its storage requests counted. History only adds hours the scan never
/// reads, so the time should stay flat.
/// </summary>
public static class WatchdogBenchmark
{
    private const int Callers = 20;
    private const int PerCallerPerHour = 70;

    public static async Task RunAsync(IReadOnlyList<long> histories)
    {
        Console.WriteLine($"# Watchdog scan benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite");
        Console.WriteLine();
        Console.WriteLine("| messages of history | hours | bucket rows | scan p50 ms | scan max ms | storage requests per scan | rows read per scan |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var messages in histories)
        {
            await MeasureAsync(messages, counterWrites: messages == histories[0]);
        }

        Console.WriteLine();
        Console.WriteLine(_sendPath);
    }

    private static async Task MeasureAsync(long messages, bool counterWrites)
    {
        var data = Directory.CreateTempSubdirectory("smsmcp-bench-watchdog-").FullName;
        try
        {
            var services = BenchComposition.Services(data, BenchPolicy.Json);
            CountingTableStore? counting = null;
            BenchComposition.Decorate<ITableStore>(services, inner => counting = new CountingTableStore(inner));
            await using var provider = services.BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>().Where(h => h is TableInitializer))
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
            var at = now - TimeSpan.FromMinutes(5);
            // The events' writer runs on the benchmark's clock: one on the system clock would stamp them today.
            var clock = new BenchClock();
            var traffic = new TrafficCounters(provider.GetRequiredService<ITableStore>(), provider.GetRequiredService<SendPolicy>(),
                provider.GetRequiredService<Pseudonymizer>(), clock);
            var hours = (int)Math.Ceiling((double)messages / (Callers * PerCallerPerHour));
            var random = new Random(12);
            await WriteEventsAsync(traffic, clock, now - TimeSpan.FromHours(1), at);
            for (var h = hours; h >= 2; h--)
            {
                for (var c = 0; c < Callers; c++)
                {
                    await traffic.WriteAsync($"caller{c:d2}", now - TimeSpan.FromHours(h), Bucket(c, random), CancellationToken.None);
                }
            }

            var scan = provider.GetRequiredService<IAnomalyScan>();
            await scan.RunAsync(at, CancellationToken.None); // warm-up (and the first scan's one-off writes)
            var samples = new List<double>();
            var before = counting!.Snapshot();
            var rowsBefore = counting.RowsRead;
            for (var i = 0; i < 5; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await scan.RunAsync(at, CancellationToken.None);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var after = counting.Snapshot();
            var requests = after.Sum(c => c.Key.Contains(' ', StringComparison.Ordinal) ? 0 : c.Value - before.GetValueOrDefault(c.Key)) / 5.0;
            var rows = (counting.RowsRead - rowsBefore) / 5.0;
            Console.WriteLine($"| {messages:N0} | {hours} | {hours * Callers:N0} | {samples.Order().ElementAt(2):F1} | {samples.Max():F1} | {requests:F0} | {rows:F0} |");
            if (counterWrites)
            {
                _sendPath = await MeasureCounterWriteAsync(traffic, counting);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static string? _sendPath;

    /// <summary>The last hour as the send path writes it: every caller's sends as watchdog events, spread up to <paramref name="until"/>.</summary>
    private static async Task WriteEventsAsync(TrafficCounters traffic, BenchClock clock, DateTimeOffset hour, DateTimeOffset until)
    {
        var span = (until - hour).Ticks;
        for (var c = 0; c < Callers; c++)
        {
            for (var i = 0; i < PerCallerPerHour; i++)
            {
                // One number per 100-number block, as the history's spread: no pumping signature.
                if (!PhoneNumberParser.TryParse($"+1202{200 + (((c * PerCallerPerHour) + i) % 700):d3}01{i % 100:d2}", out var number, out _))
                {
                    throw new InvalidOperationException("The benchmark number does not parse.");
                }

                var evaluation = new SendEvaluation(new ResolvedRecipient(number, null), SmsSegmenter.Analyze("hello"), null);
                var outcome = SendOutcome.Sent(new SendResult("msg_bench", MessageStatus.Queued, 1, SmsEncoding.Gsm7, number.Masked));
                var sentAt = hour + TimeSpan.FromTicks(span * i / PerCallerPerHour);
                clock.Now = sentAt;
                await traffic.RecordSendAsync(new CallerIdentity($"caller{c:d2}"), evaluation, outcome, sentAt, CancellationToken.None);
            }
        }

        clock.Now = until;
    }

    /// <summary>The send path's added step alone: one watchdog event per send (an insert), one sender.</summary>
    private static async Task<string> MeasureCounterWriteAsync(TrafficCounters traffic, CountingTableStore counting)
    {
        if (!PhoneNumberParser.TryParse("+12025550123", out var number, out _))
        {
            throw new InvalidOperationException("The benchmark number does not parse.");
        }

        var caller = new CallerIdentity("dev");
        var evaluation = new SendEvaluation(new ResolvedRecipient(number, "demo"), SmsSegmenter.Analyze("hello"), null);
        var outcome = SendOutcome.Sent(new SendResult("msg_bench", MessageStatus.Delivered, 1, SmsEncoding.Gsm7, number.Masked));
        var at = new DateTimeOffset(2026, 11, 30, 23, 55, 0, TimeSpan.Zero);
        for (var i = 0; i < 50; i++)
        {
            await traffic.RecordSendAsync(caller, evaluation, outcome, at, CancellationToken.None);
        }

        var before = counting.Snapshot();
        var samples = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await traffic.RecordSendAsync(caller, evaluation, outcome, at, CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var after = counting.Snapshot();
        var sorted = samples.Order().ToArray();
        string PerSend(string op) => ((after.GetValueOrDefault(op) - before.GetValueOrDefault(op)) / 500.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return $"Send-path watchdog event (SQLite, 500 sends, one sender): p50 {sorted[249]:F2} ms, p99 {sorted[494]:F2} ms; per send: get {PerSend("get")}, insert {PerSend("insert")}, replace {PerSend("replace")}, upsert {PerSend("upsert")}.";
    }

    private static TrafficBucket Bucket(int caller, Random random)
    {
        var sent = PerCallerPerHour - 10 + random.Next(20);
        var bucket = new TrafficBucket { Attempts = sent + 2, Sent = sent, Segments = sent, SpendMicros = sent * 8300, Delivered = sent - 2, Undelivered = 2 };
        bucket.Refusals["recipient_not_allowed"] = 2;
        bucket.Countries["US"] = sent;
        for (var i = 0; i < sent; i++)
        {
            bucket.AddPrefix($"p_{caller:d2}{random.Next(150):d3}", random.Next(100));
        }

        return bucket;
    }

    /// <summary>A clock the benchmark sets: its history is in the past, each event written at its own time.</summary>
    private sealed class BenchClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
