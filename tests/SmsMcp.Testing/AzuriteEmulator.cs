using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace SmsMcp.Testing;

/// <summary>
/// A real Azurite (npm <c>azurite</c> from tests/peers, run by its Node 22) on 127.0.0.1: Table alone, or Blob and
/// Table (<see cref="AzuriteOptions"/>). Readiness is read from its stdout, never slept on. It can be killed (a crash),
/// stopped (an outage) and started again on the same ports. Azurite does not enforce blob immutability policies: what
/// WORM forbids in Azure is allowed here. A missing peer fails with instructions; it is never a skip.
/// </summary>
public sealed class AzuriteEmulator : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly AzuriteOptions _options;
    private readonly string _directory;
    private readonly int _blobPort;
    private readonly int _queuePort;
    private Process? _process;
    private ConcurrentQueue<string> _output = new();

    private AzuriteEmulator(AzuriteOptions options)
    {
        _options = options;
        _directory = Directory.CreateTempSubdirectory("smsmcp-azurite-").FullName;
        Port = LoopbackPort.Free();
        (_blobPort, _queuePort) = options.Blobs ? (LoopbackPort.Free(), LoopbackPort.Free()) : (0, 0);
        var scheme = options.CertificatePemPath is null ? "http" : "https";
        TableEndpoint = new Uri($"{scheme}://127.0.0.1:{Port}/{DevelopmentStorageAccount.Name}");
    }

    /// <summary>The Table service's port.</summary>
    public int Port { get; }

    /// <summary>Path-style Table endpoint of the well-known development account.</summary>
    public Uri TableEndpoint { get; }

    /// <summary>Path-style Blob endpoint of the development account (only with <see cref="AzuriteOptions.Blobs"/>).</summary>
    public Uri BlobEndpoint => _options.Blobs
        ? new Uri($"http://127.0.0.1:{_blobPort}/{DevelopmentStorageAccount.Name}")
        : throw new InvalidOperationException("This Azurite serves Table only: start it with AzuriteOptions.Blobs.");

    /// <summary>The emulator's published account for every service it runs: fine in tests, worthless anywhere else.</summary>
    public string ConnectionString => _options.Blobs
        ? $"DefaultEndpointsProtocol=http;AccountName={DevelopmentStorageAccount.Name};AccountKey={DevelopmentStorageAccount.Key};BlobEndpoint={BlobEndpoint};TableEndpoint={TableEndpoint}"
        : DevelopmentStorageAccount.ConnectionString(TableEndpoint);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What it printed since it last started.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public static async Task<AzuriteEmulator> StartAsync(AzuriteOptions? options = null)
    {
        Exception? last = null;
        // A port found free can be taken before Azurite binds it; then Azurite exits and we try other ports.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var azurite = new AzuriteEmulator(options ?? new AzuriteOptions());
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

    /// <summary>
    /// Stops the emulator the way Ctrl+C does (SIGINT): it stops answering and, when persistent, writes its data to disk.
    /// Clients see an outage: connections refused. (<see cref="KillAsync"/> is a crash: Azurite saves every 5 s, so
    /// the last writes may be lost.)
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
        if (_process is not { } process)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        await process.WaitForExitAsync();
    }

    /// <summary>Starts the emulator again on the same ports (and, when persistent, the same data).</summary>
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
            Directory.Delete(_directory, recursive: true);
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
            // Whatever Azurite drops in its working directory stays out of the repository.
            WorkingDirectory = _directory,
        };
        foreach (var argument in Arguments())
        {
            info.ArgumentList.Add(argument);
        }

        _output = new ConcurrentQueue<string>();
        _process = new Process { StartInfo = info };
        // The whole emulator starts Blob, Queue and Table in that order: Table's line means all three listen.
        var ready = _options.Blobs ? "Azurite Table service is successfully listening" : "Azurite Table service successfully started";
        try
        {
            await ProcessReadiness.Start(_process, _output, ready, "Azurite").WaitAsync(StartTimeout);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"Azurite did not report readiness within {StartTimeout.TotalSeconds} s:\n" + string.Join("\n", _output), e);
        }
    }

    private List<string> Arguments()
    {
        var arguments = _options.Blobs
            ? [Peers.AzuriteAllServices, "--blobHost", "127.0.0.1", "--blobPort", Text(_blobPort), "--queueHost", "127.0.0.1", "--queuePort", Text(_queuePort),
               "--tableHost", "127.0.0.1", "--tablePort", Text(Port), "--skipApiVersionCheck"]
            : new List<string> { Peers.Azurite, "--tableHost", "127.0.0.1", "--tablePort", Text(Port), "--silent" };
        arguments.AddRange(_options.Persistent ? ["--location", _directory] : ["--inMemoryPersistence"]);
        arguments.Add("--disableTelemetry");
        if (_options.CertificatePemPath is not null)
        {
            arguments.AddRange(["--cert", _options.CertificatePemPath, "--key", _options.KeyPemPath ?? throw new InvalidOperationException("HTTPS needs KeyPemPath too.")]);
        }

        if (_options.OAuthBasic)
        {
            arguments.AddRange(["--oauth", "basic"]);
        }

        return arguments;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
