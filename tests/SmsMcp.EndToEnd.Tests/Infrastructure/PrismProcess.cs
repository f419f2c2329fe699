using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Prism (npm <c>@stoplight/prism-cli</c>) mocking one of Twilio's OpenAPI descriptions on 127.0.0.1. It validates
/// each request against the description (401 without auth, 422 for a bad body) and answers with its examples.
/// Ready when it prints "Prism is listening on".
/// </summary>
public sealed class PrismProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private PrismProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<string> Output => [.. _output];

    public static async Task<PrismProcess> StartAsync(string openApiFile)
    {
        var port = LoopbackPort.Free();
        var info = new ProcessStartInfo(Peers.Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Peers,
        };
        foreach (var argument in new[] { Peers.Prism, "mock", openApiFile, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var prism = new PrismProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var ready = ProcessReadiness.Start(process, prism._output, "Prism is listening on", "Prism");
        try
        {
            await ready.WaitAsync(StartTimeout);
        }
        catch
        {
            await prism.DisposeAsync();
            throw;
        }

        return prism;
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
