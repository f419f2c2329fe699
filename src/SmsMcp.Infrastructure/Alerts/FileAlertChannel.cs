using SmsMcp.Core.Watchdog.Alerts;

namespace SmsMcp.Infrastructure.Alerts;

/// <summary>
/// Local mode's channel: each alert appended as one JSON line (<see cref="AlertPayload"/>) to a file beside the sandbox
/// outbox, so <c>dotnet run</c> shows alerts without any service configured.
/// </summary>
public sealed class FileAlertChannel(string path) : IAlertChannel, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public string Name => "file";

    public string Path => path;

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            await File.AppendAllTextAsync(path, AlertPayload.From(alert).ToJson() + "\n", cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
