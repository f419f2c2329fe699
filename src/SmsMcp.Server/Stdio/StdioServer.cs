using ModelContextProtocol.Server;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Hosting;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Hosting;
using SmsMcp.Http.Mcp;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Server.Hosting;

namespace SmsMcp.Server.Stdio;

/// <summary>
/// <c>SmsMcp.Server stdio</c>: the same tools and pipeline over stdin/stdout for local desktop clients.
/// stdout carries only protocol messages, so every log line goes to stderr.
/// </summary>
public static class StdioServer
{
    public const string CallerSetting = "Stdio:CallerId";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var environment = builder.Services.AddSmsMcpEnvironment(builder.Configuration, builder.Environment);
        builder.Services
            .AddSmsMcpCore(builder.Configuration, environment)
            .AddMcpTools()
            .AddSingleton(new StdioCaller(ResolveCaller(builder.Configuration, environment.IsDevelopment)));

        using var host = builder.Build();
        await host.StartAsync();
        var loggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
        var options = host.Services.GetRequiredService<McpServerOptionsFactory>().Create(protocolVersion: null);
        await using var transport = new StdioServerTransport(options, loggerFactory);
        await using var server = McpServer.Create(transport, options, loggerFactory, host.Services);
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await server.RunAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await host.StopAsync();
        return 0;
    }

    private static CallerIdentity ResolveCaller(IConfiguration configuration, bool isDevelopment)
    {
        var configured = configuration[CallerSetting];
        if (string.IsNullOrEmpty(configured))
        {
            return isDevelopment
                ? new CallerIdentity(DevelopmentCallerKey.CallerId)
                : throw new InvalidOperationException($"{CallerSetting} is not set. Outside Development stdio mode must be told which caller it runs as.");
        }

        return CallerIdentity.IsValidId(configured)
            ? new CallerIdentity(configured)
            : throw new InvalidOperationException($"{CallerSetting} must be 1-64 of letters, digits, '-', '_', '.', ':'.");
    }
}
