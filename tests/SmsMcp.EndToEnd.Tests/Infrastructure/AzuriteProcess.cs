using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Azurite Table service (npm <c>azurite</c> from tests/peers, run by its Node 22) on 127.0.0.1, persisting to a
/// temp directory of its own so that it can be stopped — an outage — and started again on the same port with the same
/// data. Readiness is read from its stdout, never slept on.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _location;
    private Process? _process;
    private ConcurrentQueue<string> _output = new();

    private AzuriteProcess(string location, int port)
    {
        _location = location;
        Port = port;
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Path-style endpoint of the well-known development account.</summary>
    public Uri ServiceUri => new($"http://127.0.0.1:{Port}/{DevelopmentStorageAccount.Name}");

    /// <summary>For <c>Storage__ConnectionString</c>: the emulator's published account key, worthless anywhere else.</summary>
    public string ConnectionString => DevelopmentStorageAccount.ConnectionString(ServiceUri);

    public IReadOnlyList<string> Output => [.. _output];

    public static async Task<AzuriteProcess> StartAsync()
    {
        Exception? last = null;
        // A port found free can be taken before Azurite binds it; then Azurite exits and we try another.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var azurite = new AzuriteProcess(Directory.CreateTempSubdirectory("smsmcp-azurite-").FullName, LoopbackPort.Free());
            try
            {
                await azurite.RunAsync();
                return azurite;
            }
            catch (InvalidOperationException e)
            {
                last = e;
                await azurite.DisposeAsync();
            }
        }

        throw new InvalidOperationException("Azurite did not start in three attempts.", last);
    }

    /// <summary>A table client of this emulator, for reading what the servers wrote.</summary>
    public AzureTableStore CreateTableStore() => new(new AzureTableStoreOptions { ConnectionString = ConnectionString });

    /// <summary>
    /// Stops the emulator the way Ctrl+C does (SIGINT): it stops answering and writes its data to disk. Clients see an
    /// outage: connections refused. (<see cref="KillAsync"/> is a crash: Azurite saves every 5 s, so the last writes may be lost.)
    /// </summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        // The shell's built-in kill: a /bin/kill binary (procps) is not on every slim image.
        var signal = await ProcessRunner.RunAsync("sh", ["-c", "kill -INT " + process.Id.ToString(CultureInfo.InvariantCulture)], timeout: StopTimeout);
        if (signal.ExitCode != 0)
        {
            throw new InvalidOperationException("Could not signal Azurite: " + signal);
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("Azurite did not stop on SIGINT:\n" + string.Join("\n", _output));
        }
    }

    /// <summary>Kills the emulator at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the emulator again on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Azurite is still running: stop it first.");
        }

        await RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RunAsync()
    {
        _process?.Dispose();
        var info = new ProcessStartInfo(Peers.Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _location,
        };
        foreach (var argument in new[]
        {
            Peers.Azurite, "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(CultureInfo.InvariantCulture),
            "--location", _location, "--disableTelemetry", "--silent",
        })
        {
            info.ArgumentList.Add(argument);
        }

        _output = new ConcurrentQueue<string>();
        _process = new Process { StartInfo = info };
        await ProcessReadiness.Start(_process, _output, "successfully started", "Azurite").WaitAsync(StartTimeout);
    }
}
