using System.Globalization;
using SmsMcp.Benchmarks;
using SmsMcp.Testing;

// Benchmarks (docs/benchmarks.md): the real server against the TypeScript SDK peer, side by side in one run; or, with
// "pipeline", the guard pipeline in process on SQLite and Azurite.
// Usage: dotnet run -c Release --project bench/SmsMcp.Benchmarks -- [seconds-per-run] [concurrency]
//        dotnet run -c Release --project bench/SmsMcp.Benchmarks -- pipeline [sends-per-row]
//        dotnet run -c Release --project bench/SmsMcp.Benchmarks -- watchdog
//        dotnet run -c Release --project bench/SmsMcp.Benchmarks -- trips [sends]
//        dotnet run -c Release --project bench/SmsMcp.Benchmarks -- profile [senders] [seconds]
//        dotnet run -c Release --project bench/SmsMcp.Benchmarks -- compare BASELINE CANDIDATE [rounds] [workers] [seconds]
//        (each a SmsMcp.Server.dll, run with dotnet, or a self-contained publish's SmsMcp.Server executable)
if (args.Length > 0 && args[0] == "watchdog")
{
    await WatchdogBenchmark.RunAsync([10_000, 100_000, 1_000_000]);
    return;
}

if (args.Length > 0 && args[0] == "compare")
{
    await SendComparison.RunAsync(args[1], args[2],
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8,
        TimeSpan.FromSeconds(args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 10));
    return;
}

if (args.Length > 0 && args[0] == "profile")
{
    await ConcurrentSendProfile.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8,
        TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10));
    return;
}

if (args.Length > 0 && args[0] == "trips")
{
    await RoundTripBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
    return;
}

if (args.Length > 0 && args[0] == "pipeline")
{
    await PipelineBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000);
    return;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var duration = TimeSpan.FromSeconds(seconds);
var root = RepositoryPaths.Root;
using var client = Load.Client();

Console.WriteLine($"# SmsMcp benchmarks — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {seconds} s per run, {concurrency} workers");
Console.WriteLine($"server: {ServerUnderTest.ServerPath(root)}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine();

Console.WriteLine("## Cold start: process launch → first tools/list answer (median of 5)");
Console.WriteLine();
Console.WriteLine("| server | median ms |");
Console.WriteLine("|---|---|");
foreach (var start in new Func<string, ServerUnderTest>[] { ServerUnderTest.StartSmsMcp, ServerUnderTest.StartTypeScriptPeer })
{
    var samples = new List<double>();
    string name = "";
    for (var i = 0; i < 5; i++)
    {
        await using var server = start(root);
        name = server.Name;
        samples.Add((await Load.ColdStartAsync(server, client)).TotalMilliseconds);
    }

    Console.WriteLine($"| {name} | {samples.Order().ElementAt(2):F0} |");
}

Console.WriteLine();
Console.WriteLine("## Cold start, stdio mode: process launch → tools/list answer (median of 5)");
Console.WriteLine();
Console.WriteLine("| server | median ms |");
Console.WriteLine("|---|---|");
foreach (var (name, measure) in new (string, Func<string, Task<TimeSpan>>)[] { ("SmsMcp (C#) stdio", StdioColdStart.SmsMcpAsync), ("TypeScript SDK peer stdio", StdioColdStart.TypeScriptPeerAsync) })
{
    var samples = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        samples.Add((await measure(root)).TotalMilliseconds);
    }

    Console.WriteLine($"| {name} | {samples.Order().ElementAt(2):F0} |");
}

Console.WriteLine();
Console.WriteLine("## Throughput and latency (closed loop)");
Console.WriteLine();
Console.WriteLine("| server | operation | req/s | p50 ms | p99 ms | errors | peak RSS MiB |");
Console.WriteLine("|---|---|---|---|---|---|---|");
var ping = Load.Rpc("ping", "{}");
double peerSendRate, sendRate;
var toolsList = Load.Rpc("tools/list", "{}");
await using (var ts = ServerUnderTest.StartTypeScriptPeer(root))
{
    await Load.ColdStartAsync(ts, client);
    Report(await Load.RunAsync(ts, client, "ping", _ => ping, concurrency, duration), ts);
    Report(await Load.RunAsync(ts, client, "tools/list", _ => toolsList, concurrency, duration), ts);
    var peerSends = await Load.RunAsync(ts, client, "tools/call send_sms (trivial)", _ => Load.Call("send_sms", """{"to":"demo","body":"hi"}"""), concurrency, duration);
    Report(peerSends, ts);
    peerSendRate = peerSends.RequestsPerSecond;
}

await using (var ours = ServerUnderTest.StartSmsMcp(root))
{
    await Load.ColdStartAsync(ours, client);
    Report(await Load.RunAsync(ours, client, "ping", _ => ping, concurrency, duration), ours);
    Report(await Load.RunAsync(ours, client, "tools/list", _ => toolsList, concurrency, duration), ours);
    Report(await Load.RunAsync(ours, client, "tools/call preview_sms (guards, no I/O)", _ => Load.Call("preview_sms", """{"to":"demo","body":"hi"}"""), concurrency, duration), ours);
    var sends = await Load.RunAsync(ours, client, "tools/call send_sms (full walk: audit, store, outbox)", _ => Load.Call("send_sms", """{"to":"demo","body":"hi"}"""), concurrency, duration);
    Report(sends, ours);
    Report(await Load.RunAsync(ours, client, "tools/call send_sms, 1 worker", _ => Load.Call("send_sms", """{"to":"demo","body":"hi"}"""), 1, duration), ours);
    sendRate = sends.RequestsPerSecond;
}

Console.WriteLine();
Console.WriteLine($"Side by side: guarded send_sms ({concurrency} workers) / peer's trivial send_sms = {sendRate / peerSendRate:F2}");

static void Report(Measurement m, ServerUnderTest server) =>
    Console.WriteLine($"| {m.Server} | {m.Operation} | {m.RequestsPerSecond:F0} | {m.Percentile(50):F2} | {m.Percentile(99):F2} | {m.Errors} | {server.PeakMemoryMiB:F0} |");

