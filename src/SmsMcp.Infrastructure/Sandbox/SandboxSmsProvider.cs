using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Providers;

namespace SmsMcp.Infrastructure.Sandbox;

/// <summary>
/// A provider that never touches the network: it appends each message as one JSON line to the outbox file
/// and reports it delivered at once. Several server processes may share one outbox: each line is written
/// with a single append, and writers retry briefly while another process holds the file.
/// </summary>
public sealed class SandboxSmsProvider(string outboxPath, TimeProvider time) : ISmsProvider, IDisposable
{
    private const int MaxOpenAttempts = 50;

    // Readable lines ("+1202…", accents, emoji as written); the outbox is a local file, never HTML.
    private static readonly JsonSerializerOptions LineFormat = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _outboxDirectory = Path.GetDirectoryName(Path.GetFullPath(outboxPath))!;

    public string Name => "sandbox";

    public string OutboxPath => outboxPath;

    public void Dispose() => _gate.Dispose();

    public async Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
    {
        var providerId = "SB" + Guid.NewGuid().ToString("N");
        var line = JsonSerializer.Serialize(new SandboxOutboxLine(
            message.MessageId,
            providerId,
            message.To.E164,
            message.Body,
            message.Segmentation.Segments,
            message.Segmentation.Encoding.ToString(),
            time.GetUtcNow()), LineFormat) + "\n";
        var bytes = Encoding.UTF8.GetBytes(line);

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await AppendAsync(bytes, cancellationToken);
        }
        catch (IOException e)
        {
            throw new SmsProviderException("The sandbox outbox could not be written.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SmsProviderException("The sandbox outbox could not be written.", e);
        }
        finally
        {
            _gate.Release();
        }

        return new ProviderSendResult(MessageStatus.Delivered, providerId);
    }

    private async Task AppendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        // Every time (a no-op when it exists, so a data directory removed while running comes back), and inside the
        // caller's try: a directory that cannot be created fails the send as an SmsProviderException.
        Directory.CreateDirectory(_outboxDirectory);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // FileShare.None takes an exclusive lock, which serialises writers across processes (Append alone
                // only seeks to the end at open); the lock is held for one small write. Unbuffered and synchronous:
                // one write call into the page cache, where an async FileStream would hop to the thread pool for it.
                using var stream = new FileStream(outboxPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
                stream.Write(bytes);
                return;
            }
            catch (IOException) when (attempt < MaxOpenAttempts && File.Exists(outboxPath))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt), time, cancellationToken);
            }
        }
    }
}
