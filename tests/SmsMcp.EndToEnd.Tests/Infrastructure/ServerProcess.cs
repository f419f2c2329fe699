using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real standalone server executable on a free loopback port (ASPNETCORE_URLS). Development mode, a private
/// data directory, a fixed dev key.
/// Ready when it prints its endpoint banner (which it does from ApplicationStarted).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string ApiKey = "e2e-dev-key-0123456789abcdefghijklmnop";

    /// <summary>The operator key for <c>/admin</c>; the server is given only its salted hash.</summary>
    public const string AdminKey = "e2e-admin-key-0123456789abcdefghijklmn";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>The server's process id (its /proc entry: what it has mapped, its memory).</summary>
    public int ProcessId => _process.Id;

    public string DataDirectory { get; }

    public Uri McpUrl => new($"http://127.0.0.1:{Port}/mcp");

    public Uri AdminUrl => new($"http://127.0.0.1:{Port}/admin/");

    public string OutboxPath => Path.Combine(DataDirectory, "sandbox-outbox.jsonl");

    public IReadOnlyList<string> Output => [.. _output];

    public IReadOnlyList<string> OutboxLines() => File.Exists(OutboxPath) ? File.ReadAllLines(OutboxPath) : [];

    /// <summary>Environment for any process that should run this server (HTTP or stdio mode) against the same data.</summary>
    public static Dictionary<string, string> Environment(string dataDirectory)
    {
        var adminHash = SmsMcp.Http.Auth.ApiKeyHash.Create(AdminKey);
        return new()
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["SMSMCP_DATA_DIR"] = dataDirectory,
            ["SMSMCP_DEV_API_KEY"] = ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Admin__Keys__0__Id"] = "e2e-ops",
            ["Admin__Keys__0__KeySalt"] = adminHash.SaltBase64,
            ["Admin__Keys__0__KeyHash"] = adminHash.HashBase64,
        };
    }

    /// <summary>
    /// Starts the server; <paramref name="settings"/> are extra environment variables (<c>Section__Key</c>), and
    /// <paramref name="portSettings"/> more that depend on the port it will listen on (e.g. its own callback URL).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, Func<int, IReadOnlyDictionary<string, string>>? portSettings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("smsmcp-e2e-").FullName;
        var port = LoopbackPort.Free();
        var (executable, arguments) = RepositoryPaths.Server();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Environment(dataDirectory))
        {
            info.Environment[key] = value;
        }

        // Scheduled jobs on the real clock would run at whatever five-minute boundary a test crosses (tested in process).
        info.Environment["Schedule__Enabled"] = "false";
        foreach (var (key, value) in (settings ?? new Dictionary<string, string>()).Concat(portSettings?.Invoke(port) ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, port, dataDirectory);
        var ready = ProcessReadiness.Start(process, server._output, "MCP endpoint:", "The server");
        try
        {
            await ready.WaitAsync(StartTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Stops the server the way a service manager does (SIGTERM) and waits until it has exited and its output is read
    /// to the end: the console logger writes from a queue, so only then is <see cref="Output"/> all it printed.
    /// </summary>
    public async Task StopAsync()
    {
        // The shell's built-in kill: a /bin/kill binary (procps) is not on every slim image.
        var signal = await ProcessRunner.RunAsync("sh", ["-c", "kill -TERM " + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: StartTimeout);
        if (signal.ExitCode != 0)
        {
            throw new InvalidOperationException("Could not signal the server: " + signal);
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
