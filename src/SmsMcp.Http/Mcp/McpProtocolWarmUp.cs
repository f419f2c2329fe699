using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SmsMcp.Http.Mcp;

/// <summary>
/// A rehearsal of the first requests every client sends (<c>initialize</c>, <c>tools/list</c>) on a throwaway MCP
/// server, on a background thread while the host starts, over the transport the process is about to serve.
/// ReadyToRun cannot precompile the SDK's generic code over its own value types (System.Text.Json contracts over
/// <see cref="RequestId"/> and nullable flags, async state machines, dictionaries keyed by request id), so the first
/// real request JIT'd about a thousand methods and built the SDK's JSON contracts; here that happens on the second core
/// while the main thread builds the host (the contracts are cached in the SDK's shared options, the code is shared).
/// </summary>
/// <remarks>
/// Nothing depends on it. The rehearsal server has no services, no filters and no connection to the outside: it
/// answers only the messages written here, and its tools (the catalog's, read for their descriptions) are never called.
/// If it fails or never finishes, the real server behaves the same, only slower on its first request; its failure is
/// kept in <see cref="Completion"/> (tests check it) and never stops the process, since it concerns the rehearsal, not
/// the configuration, which the host validates on its own. Without <see cref="ToolCatalogWarmUp"/> it does nothing.
/// </remarks>
public static class McpProtocolWarmUp
{
    private const string Initialize = """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"warm-up","version":"0"}}}
        """;

    private const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    private const string ListTools = """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";

    private static Task<string>? s_run;

    /// <summary>Call first thing in the entry point, after <see cref="ToolCatalogWarmUp.Start"/>; returns at once.</summary>
    public static void Start(McpWarmUpTransport transport)
    {
        if (Volatile.Read(ref s_run) is null
            && Interlocked.CompareExchange(ref s_run, Task.Run(() => RehearseAsync(transport)), null) is null)
        {
            // Observed here so that a failed rehearsal is never reported as an unobserved task exception.
            _ = s_run.ContinueWith(static run => _ = run.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        }
    }

    /// <summary>The rehearsal <see cref="Start"/> began, ending with the <c>tools/list</c> answer it got (or its failure).</summary>
    internal static Task<string>? Completion => Volatile.Read(ref s_run);

    internal static async Task<string> RehearseAsync(McpWarmUpTransport transport)
    {
        if (ToolCatalogWarmUp.Started is not { } catalog)
        {
            return ""; // nothing to list: building a second catalog here would cost more than it saves
        }

        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "warm-up", Version = "0" },
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = false } },
            ToolCollection = [.. (await catalog).Tools],
        };
        if (transport == McpWarmUpTransport.StreamableHttp)
        {
            await OverStatelessHttpAsync(options, Initialize);
            return await OverStatelessHttpAsync(options, ListTools);
        }

        return await OverStreamAsync(options);
    }

    /// <summary>As the stateless <c>/mcp</c> endpoint does for each POST: a transport and a server for one message.</summary>
    private static async Task<string> OverStatelessHttpAsync(McpServerOptions options, string request)
    {
        var body = new Pipe();
        await body.Writer.WriteAsync(Encoding.UTF8.GetBytes(request));
        await body.Writer.CompleteAsync();
        var message = await JsonSerializer.DeserializeAsync(body.Reader, McpJsonUtilities.ProtocolOptions.GetTypeInfo<JsonRpcMessage>())
            ?? throw new InvalidOperationException("The rehearsal's request did not parse.");
        await using var transport = new StreamableHttpServerTransport(NullLoggerFactory.Instance) { Stateless = true };
        await using var server = McpServer.Create(transport, options, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);
        using var response = new MemoryStream();
        await transport.HandlePostRequestAsync(message, response, stop.Token);
        await stop.CancelAsync();
        await IgnoreCancellationAsync(running);
        return Encoding.UTF8.GetString(response.ToArray());
    }

    /// <summary>As stdio mode does: newline-delimited JSON-RPC over a pair of streams.</summary>
    private static async Task<string> OverStreamAsync(McpServerOptions options)
    {
        var input = new Pipe();
        var output = new Pipe();
        await using var transport = new StreamServerTransport(input.Reader.AsStream(), output.Writer.AsStream(), "warm-up", NullLoggerFactory.Instance);
        await using var server = McpServer.Create(transport, options, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);
        await input.Writer.WriteAsync(Encoding.UTF8.GetBytes($"{Initialize}\n{Initialized}\n{ListTools}\n"));
        using var answers = new StreamReader(output.Reader.AsStream());
        var answer = "";
        while (await answers.ReadLineAsync() is { } line)
        {
            if (line.Contains("\"id\":2", StringComparison.Ordinal))
            {
                answer = line;
                break;
            }
        }

        await input.Writer.CompleteAsync();
        await stop.CancelAsync();
        await IgnoreCancellationAsync(running);
        return answer;
    }

    private static async Task IgnoreCancellationAsync(Task running)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
