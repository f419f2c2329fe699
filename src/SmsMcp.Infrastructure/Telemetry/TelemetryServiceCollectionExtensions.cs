using System.Runtime.CompilerServices;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SmsMcp.Infrastructure.Hosting;

namespace SmsMcp.Infrastructure.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The setting (environment variable) that turns export on; the deployment writes it.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The user-assigned managed identity the exporter authenticates with; the deployment writes it.</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>Every meter the server's own code creates (<c>SmsMcp.Core</c>, <c>SmsMcp.Watchdog</c>).</summary>
    public const string MeterPattern = "SmsMcp.*";

    /// <summary>
    /// Exports traces, logs and metrics (ours included) to Application Insights when
    /// <see cref="ConnectionStringSetting"/> is set, and registers nothing otherwise: a local server sends no telemetry
    /// anywhere. Ingestion authenticates with Entra ID (the deployed resource has local authentication disabled, so the
    /// connection string's key alone is refused): the user-assigned identity of <see cref="ClientIdSetting"/>, chosen
    /// like every other Azure client of the server.
    /// Spans pass <see cref="TelemetryRedaction"/> first: no exporter sees a request path, query, Host, User-Agent or an
    /// outgoing URL's path as it was.
    /// </summary>
    /// <param name="isServedPath">Whether a request path is one the server maps exactly (shown as it is).</param>
    public static IServiceCollection AddSmsMcpTelemetry(this IServiceCollection services, IConfiguration configuration, Func<string, bool> isServedPath)
    {
        var connectionString = configuration[ConnectionStringSetting];
        return string.IsNullOrWhiteSpace(connectionString)
            ? services
            : AddAzureMonitorExport(services, configuration, connectionString, isServedPath);
    }

    /// <summary>
    /// Its own method, never inlined: compiling it loads OpenTelemetry, the Azure Monitor exporter and Azure.Core/Identity,
    /// which a server without a connection string then never maps (~2 MiB, and their start-up time).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IServiceCollection AddAzureMonitorExport(IServiceCollection services, IConfiguration configuration, string connectionString, Func<string, bool> isServedPath)
    {
        // The processor is added before UseAzureMonitor adds its own (live metrics, the exporter's batch): processors run
        // in the order they were added.
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddProcessor(new TelemetryRedaction(isServedPath)))
            .UseAzureMonitor(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = AzureCredentials.Create(configuration[ClientIdSetting]);
            })
            .WithMetrics(metrics => metrics.AddMeter(MeterPattern));
        return services;
    }
}
