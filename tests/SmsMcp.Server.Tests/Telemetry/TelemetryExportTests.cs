using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Infrastructure.Telemetry;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Telemetry;

/// <summary>
/// Telemetry export in the host's own container: nothing without a connection string; with one, the OpenTelemetry
/// meter provider collects the server's meters. No network: the ingestion endpoint is a closed loopback port, live
/// metrics and offline storage are off, and the token is a fixed one.
/// </summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public void ConnectionStringUnset_NoExporterRegistered()
    {
        using var factory = new SmsMcpFactory();

        Assert.Null(factory.Services.GetService<MeterProvider>());
        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<IConfigureOptions<AzureMonitorOptions>>());
    }

    [Fact]
    public void ConnectionStringSet_MeterProviderCollectsOurMeters()
    {
        var collected = new List<Metric>();
        using var factory = new ExportingFactory().WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.Configure<AzureMonitorOptions>(options =>
            {
                options.EnableLiveMetrics = false;
                options.DisableOfflineStorage = true;
                options.Credential = new FixedTokenCredential();
            });
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(new BaseExportingMetricReader(new CollectingExporter(collected))));
        }));

        var provider = factory.Services.GetRequiredService<MeterProvider>();
        var options = factory.Services.GetRequiredService<IOptionsMonitor<AzureMonitorOptions>>().Get(Options.DefaultName);
        Assert.Equal(ExportingFactory.ConnectionString, options.ConnectionString);
        factory.Services.GetRequiredService<SmsMcpMetrics>().RecordSuspension("dev", "ops");
        using var watchdog = factory.Services.GetRequiredService<IMeterFactory>().Create(AlertDispatcher.MeterName);
        watchdog.CreateCounter<long>("smsmcp.watchdog.alerts").Add(1);
        using var unrelated = factory.Services.GetRequiredService<IMeterFactory>().Create("Other.Library");
        unrelated.CreateCounter<long>("other.count").Add(1);

        // False here: the Azure Monitor exporter's flush fails against the closed port; the collecting reader still ran.
        _ = provider.ForceFlush(10_000);
        var names = collected.Select(m => (m.MeterName, m.Name)).ToList();
        Assert.Contains((SmsMcpMetrics.MeterName, SmsMcpMetrics.Suspensions), names);
        Assert.Contains((AlertDispatcher.MeterName, "smsmcp.watchdog.alerts"), names);
        Assert.DoesNotContain(names, n => n.MeterName == "Other.Library");
    }

    private sealed class ExportingFactory : SmsMcpFactory
    {
        public static readonly string ConnectionString =
            $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:{LoopbackPort.Free()}/";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            [new(TelemetryServiceCollectionExtensions.ConnectionStringSetting, ConnectionString)];
    }

    private sealed class CollectingExporter(List<Metric> collected) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            lock (collected)
            {
                foreach (var metric in batch)
                {
                    collected.Add(metric);
                }
            }

            return ExportResult.Success;
        }
    }
}
