using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsMcp.Core.Storage;
using SmsMcp.Functions.Functions;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions worker's own container, built by the worker's configuration (<see cref="SmsMcpFunctionsApp"/>) without
/// the Functions host, which is not available here. Functions are created from it and invoked the way the worker's
/// ASP.NET Core integration invokes them: a real HttpContext, request services from a scope, the returned result executed.
/// </summary>
public sealed class Worker : IAsyncDisposable
{
    private readonly string _dataDirectory;

    private Worker(IHost host, string dataDirectory, CapturingLoggerProvider logs)
    {
        Host = host;
        _dataDirectory = dataDirectory;
        Logs = logs;
    }

    public IHost Host { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => Host.Services;

    public static Task<Worker> StartAsync(params KeyValuePair<string, string>[] settings) => StartWithAsync(null, settings);

    /// <param name="configure">Replacements registered after the worker's own (a fake clock).</param>
    public static async Task<Worker> StartWithAsync(Action<IServiceCollection>? configure, params KeyValuePair<string, string>[] settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("smsmcp-worker-").FullName;
        string[] args = [.. HostSettings.Common(dataDirectory).Concat(settings).Select(s => $"--{s.Key}={s.Value}")];
        var builder = SmsMcpFunctionsApp.CreateBuilder(args);
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        configure?.Invoke(builder.Services);
        var host = builder.Build();

        // What starting the worker does before its first invocation, minus the gRPC connection to the Functions host
        // (resolving the hosted services would already ask for the host's address).
        await ActivatorUtilities.CreateInstance<TableInitializer>(host.Services).StartAsync(CancellationToken.None);

        return new Worker(host, dataDirectory, logs);
    }

    /// <summary>Routes like the Functions host does (by the function's route) and invokes that HTTP function.</summary>
    public async Task<TestResponse> SendAsync(TestRequest request, IPAddress? remoteAddress = null, Stream? bodyOverride = null)
    {
        var functions = ActivatorUtilities.CreateInstance<HttpFunctions>(Services);
        Func<HttpRequest, Task<IResult>> function = request.Path switch
        {
            "/mcp" => functions.McpAsync,
            "/twilio/status" => functions.TwilioStatusAsync,
            _ when request.Path.StartsWith("/admin/", StringComparison.Ordinal) => functions.AdminAsync,
            _ when request.Path.StartsWith("/.well-known/oauth-protected-resource", StringComparison.Ordinal) => functions.ProtectedResourceMetadataAsync,
            _ => throw new ArgumentException("No function serves " + request.Path),
        };

        await using var scope = Services.CreateAsyncScope();
        var responseBody = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Connection.RemoteIpAddress = remoteAddress ?? IPAddress.Loopback;
        context.Request.Method = request.Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(request.Host);
        context.Request.Path = request.Path;
        foreach (var (name, value) in request.Headers)
        {
            context.Request.Headers.Append(name, value);
        }

        if (request.Body is not null)
        {
            context.Request.Body = new MemoryStream(request.Body);
            context.Request.ContentType = request.ContentType;
            context.Request.ContentLength = request.Chunked ? null : request.Body.Length;
        }

        if (bodyOverride is not null)
        {
            context.Request.Body = bodyOverride;
            context.Request.ContentType = request.ContentType;
        }

        context.Response.Body = responseBody;
        var result = await function(context.Request);
        await result.ExecuteAsync(context);
        return TestResponse.From(context.Response, responseBody.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Task.CompletedTask;
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
