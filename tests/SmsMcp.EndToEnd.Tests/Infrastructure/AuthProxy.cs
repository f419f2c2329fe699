using System.Diagnostics;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// tests/peers/auth-proxy.mjs: a loopback proxy adding the bearer key, because the conformance suite cannot
/// send headers. Host and Origin pass through unchanged, so the server's own checks still decide.
/// </summary>
public sealed class AuthProxy : IAsyncDisposable
{
    private readonly Process _process;

    private AuthProxy(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<AuthProxy> StartAsync(ServerProcess server)
    {
        var info = new ProcessStartInfo(Peers.Node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Peers.File("auth-proxy.mjs"));
        info.Environment["TARGET_URL"] = $"http://127.0.0.1:{server.Port}";
        info.Environment["MCP_API_KEY"] = ServerProcess.ApiKey;
        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException("auth-proxy exited: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        return new AuthProxy(process, new Uri(line["listening ".Length..].Trim() + "/mcp"));
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
