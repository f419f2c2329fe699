using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;

namespace SmsMcp.Benchmarks;

/// <summary>
/// Where a guarded send's time goes with N concurrent senders on SQLite: <see cref="SendPipeline"/> composed in process
/// as the server composes it, one caller (as in the server benchmark), closed loop for a fixed time. Each storage call
/// is timed by a decorator; the group commit's own meter gives writes per transaction and commit time. What is left
/// of a send's time outside storage calls is CPU, the pipeline's own locks (the quota ledger queues changes to one
/// entity) and scheduling.
/// </summary>
public static class ConcurrentSendProfile
{
    // SmsMcp.Infrastructure.Storage.Sqlite.GroupCommit's meter and instruments.
    private const string SqliteMeter = "SmsMcp.Storage.Sqlite";

    public static async Task RunAsync(int workers, TimeSpan duration)
    {
        var data = Directory.CreateTempSubdirectory("smsmcp-bench-profile-").FullName;
        try
        {
            var services = BenchComposition.Services(data, BenchPolicy.Json);
            TimingTableStore? timing = null;
            BenchComposition.Decorate<ITableStore>(services, inner => timing = new TimingTableStore(inner));
            await using var provider = services.BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
            }

            var pipeline = provider.GetRequiredService<SendPipeline>();
            await LoopAsync(pipeline, workers, TimeSpan.FromSeconds(2), "warm");
            var storageBefore = timing!.Snapshot();
            using var groups = new GroupListener();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (sends, sendTime, elapsed) = await LoopAsync(pipeline, workers, duration, "send");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var storage = timing.Snapshot().ToDictionary(
                t => t.Key, t => (Calls: t.Value.Calls - storageBefore.GetValueOrDefault(t.Key).Calls, Waited: t.Value.Waited - storageBefore.GetValueOrDefault(t.Key).Waited));

            Console.WriteLine($"# Guarded send on SQLite, {workers} concurrent senders, one caller — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine();
            Console.WriteLine($"sends/s {sends / elapsed.TotalSeconds:F0}; mean send {sendTime.TotalMilliseconds / sends:F2} ms; process CPU per send {cpu.TotalMilliseconds / sends:F2} ms; allocated per send {allocated / 1024.0 / sends:F1} KiB (the timing wrapper's included)");
            Console.WriteLine($"group commit: {groups.Commits} transactions, {groups.Writes / Math.Max(1.0, groups.Commits):F2} writes per transaction, mean BEGIN→COMMIT {groups.CommitMs / Math.Max(1.0, groups.Commits):F2} ms, {groups.Commits / elapsed.TotalSeconds:F0} commits/s");
            Console.WriteLine();
            Console.WriteLine("| storage call | calls per send | mean wait ms | wait per send ms | share of send time |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var (call, (calls, waited)) in storage.Where(s => s.Value.Calls > 0).OrderByDescending(s => s.Value.Waited))
            {
                Console.WriteLine($"| {call} | {(double)calls / sends:F2} | {waited.TotalMilliseconds / calls:F2} | {waited.TotalMilliseconds / sends:F2} | {waited / sendTime:P0} |");
            }

            var inStorage = storage.Values.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Waited);
            Console.WriteLine($"| (outside storage calls: CPU, pipeline locks, scheduling) | | | {(sendTime - inStorage).TotalMilliseconds / sends:F2} | {(sendTime - inStorage) / sendTime:P0} |");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(long Sends, TimeSpan SendTime, TimeSpan Elapsed)> LoopAsync(SendPipeline pipeline, int workers, TimeSpan duration, string prefix)
    {
        var caller = new CallerIdentity("dev");
        long sends = 0;
        long ticks = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await pipeline.SendAsync(new SendRequest(caller, "demo", $"Benchmark message {prefix}-{worker}-{i}", null), CancellationToken.None);
                Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref sends);
            }
        })));
        return (sends, Stopwatch.GetElapsedTime(0, ticks), clock.Elapsed);
    }

    /// <summary>Listens to the SQLite store's group-commit instruments while it lives.</summary>
    private sealed class GroupListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _commits;
        private long _writes;
        private double _commitMs;

        public GroupListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SqliteMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, writes, _, _) =>
            {
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, writes);
            });
            _listener.SetMeasurementEventCallback<double>((_, ms, _, _) =>
            {
                lock (_listener)
                {
                    _commitMs += ms;
                }
            });
            _listener.Start();
        }

        public long Commits => Interlocked.Read(ref _commits);

        public long Writes => Interlocked.Read(ref _writes);

        public double CommitMs
        {
            get
            {
                lock (_listener)
                {
                    return _commitMs;
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
