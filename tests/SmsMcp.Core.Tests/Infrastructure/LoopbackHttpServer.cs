using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmsMcp.Core.Tests.Infrastructure;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that misbehaves on cue: for the n-th request (counted from 1) the script
/// decides to answer, hang until the server is disposed, or reset the connection after reading the request.
/// It records every complete request it read, so tests can count exactly how many POSTs arrived.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, LoopbackRequest, LoopbackReply> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<LoopbackRequest> _requests = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _accepting;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public LoopbackHttpServer(Func<int, LoopbackReply> script)
        : this((n, _) => script(n))
    {
    }

    /// <summary>A server whose script also sees the request it answers (e.g. to echo the id a GET asks for).</summary>
    public LoopbackHttpServer(Func<int, LoopbackRequest, LoopbackReply> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public IReadOnlyList<LoopbackRequest> Requests => [.. _requests];

    public int Posts => _requests.Count(r => r.Method == "POST");

    /// <summary>Completes when the first complete request has been read (a signal, so tests never sleep).</summary>
    public Task FirstRequestReceived => _firstRequest.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _clients.Add(client);
            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            while (true)
            {
                var request = await ReadRequestAsync(stream, buffer, cancellationToken);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                _firstRequest.TrySetResult();
                var reply = _script(Interlocked.Increment(ref _count), request);
                switch (reply.Kind)
                {
                    case LoopbackReplyKind.Hang:
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                        return;
                    case LoopbackReplyKind.Close:
                        client.Client.Shutdown(SocketShutdown.Both);
                        return;
                    case LoopbackReplyKind.Reset:
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    default:
                        var body = Encoding.UTF8.GetBytes(reply.Body);
                        var head = new StringBuilder($"HTTP/1.1 {reply.Status} X\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n");
                        foreach (var (name, value) in reply.Headers)
                        {
                            head.Append(name).Append(": ").Append(value).Append("\r\n");
                        }

                        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), cancellationToken);
                        await stream.WriteAsync(body, cancellationToken);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task<LoopbackRequest?> ReadRequestAsync(NetworkStream stream, List<byte> buffer, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString([.. buffer.GetRange(0, headerEnd)]).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        while (buffer.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var body = Encoding.UTF8.GetString([.. buffer.GetRange(headerEnd + 4, length)]);
        buffer.RemoveRange(0, headerEnd + 4 + length);
        return new LoopbackRequest(parts[0], parts[1], headers, body);
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
