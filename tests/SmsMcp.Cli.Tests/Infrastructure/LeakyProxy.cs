using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmsMcp.Cli.Tests.Infrastructure;

/// <summary>
/// A loopback reverse proxy in front of a real server that passes every request through unchanged (Host and Origin
/// included) and makes the error answers verbose, as a misconfigured front end would: a <c>Server</c> banner and a
/// stack trace appended to every 4xx/5xx body.
/// </summary>
internal sealed class LeakyProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private LeakyProxy(WebApplication app, HttpClient upstream, int port)
    {
        _app = app;
        _upstream = upstream;
        Port = port;
    }

    public int Port { get; }

    public static async Task<LeakyProxy> StartAsync(int upstreamPort)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        app.Run(async context => await ForwardAsync(context, upstream, upstreamPort));
        await app.StartAsync();
        return new LeakyProxy(app, upstream, port);
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient upstream, int upstreamPort)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), $"http://127.0.0.1:{upstreamPort}{incoming.Path}{incoming.QueryString}");
        using var body = new MemoryStream();
        await incoming.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        request.Headers.Host = incoming.Host.Value;
        using var response = await upstream.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length"))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        var payload = await response.Content.ReadAsByteArrayAsync();
        if ((int)response.StatusCode >= 400)
        {
            context.Response.Headers.Server = "Kestrel";
            payload = [.. payload, .. "\nSystem.InvalidOperationException: boom\n   at SmsMcp.Http.Mcp.McpEndpointGuard.InvokeAsync(EndpointFilterInvocationContext context)\n"u8.ToArray()];
        }

        await context.Response.Body.WriteAsync(payload);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
