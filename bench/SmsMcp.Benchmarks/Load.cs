using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace SmsMcp.Benchmarks;

/// <summary>Closed-loop load: each of N workers posts one JSON-RPC message, reads the whole answer, repeats.</summary>
public static class Load
{
    public static HttpClient Client() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public static HttpRequestMessage Request(Uri url, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerUnderTest.ApiKey);
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        return request;
    }

    /// <summary>Polls until tools/list answers: the time from process launch to the first useful answer.</summary>
    public static async Task<TimeSpan> ColdStartAsync(ServerUnderTest server, HttpClient client)
    {
        var toolsList = Rpc("tools/list", "{}");
        while (server.Started.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await client.SendAsync(Request(server.Url, toolsList));
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("send_sms", StringComparison.Ordinal))
                {
                    return server.Started.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"{server.Name} did not answer tools/list within 60 s.");
    }

    /// <summary>A discarded 2-second warm-up (JIT, connection pool), then the measured run.</summary>
    public static async Task<Measurement> RunAsync(ServerUnderTest server, HttpClient client, string operation, Func<int, string> body, int concurrency, TimeSpan duration)
    {
        await RunOnceAsync(server, client, operation, body, concurrency, TimeSpan.FromSeconds(2));
        return await RunOnceAsync(server, client, operation, body, concurrency, duration);
    }

    private static async Task<Measurement> RunOnceAsync(ServerUnderTest server, HttpClient client, string operation, Func<int, string> body, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            var i = 0;
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(Request(server.Url, body(worker * 1_000_000 + i++)));
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || text.Contains("\"isError\":true", StringComparison.Ordinal) || text.Contains("\"error\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        await Task.WhenAll(workers);
        return new Measurement(server.Name, operation, concurrency, stop.Elapsed, latencies.SelectMany(l => l).ToList(), errors);
    }

    public static string Rpc(string method, string parameters) =>
        $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters}}}""";

    public static string Call(string tool, string arguments) =>
        Rpc("tools/call", $$"""{"name":"{{tool}}","arguments":{{arguments}}}""");
}
