using System.IO.Compression;
using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SmsMcp.Infrastructure.Telemetry;
using SmsMcp.Server.Tests.Infrastructure;

namespace SmsMcp.Server.Tests.Telemetry;

/// <summary>
/// What Application Insights would receive, read off the real Azure Monitor exporter's own requests (its transport
/// answers in process; nothing leaves the machine): requests whose path, query, Host and User-Agent carry phone numbers
/// and caller text, and an outgoing call with a phone number in its path (as a Twilio lookup makes), arrive with those
/// parts redacted and the rest kept.
/// </summary>
public sealed class TelemetryRedactionTests
{
    private const string Secret = "447700900";
    private const string Redacted = "[redacted]";

    [Fact]
    public async Task CallerTextInUrlsAndHeaders_NeverReachesTheExporter_ServedPathsAndRoutesDo()
    {
        var ingestion = new CapturingIngestion();
        using var factory = new ExportingFactory().WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Configure<AzureMonitorOptions>(options =>
            {
                options.Transport = new HttpClientTransport(ingestion);
                options.Credential = new FixedTokenCredential();
                options.DisableOfflineStorage = true;

                // Every span, not a rate-limited sample of them.
                options.TracesPerSecond = null;
                options.SamplingRatio = 1.0F;
            })));
        var client = factory.CreateClient();

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/callers/+{Secret}11/kill-switch?to=%2B{Secret}12"))
        {
            request.Headers.Host = $"sms{Secret}13.example";
            request.Headers.UserAgent.ParseAdd($"agent/{Secret}14");
            using var response = await client.SendAsync(request);
            Assert.False(response.IsSuccessStatusCode);
        }

        using (var response = await client.GetAsync($"/+{Secret}15"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await client.GetAsync("/mcp"))
        {
            Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
        }

        // An outgoing call as the Twilio lookup makes one: the number in the path. Nothing listens on the port.
        using (var outgoing = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() =>
                outgoing.GetAsync($"http://127.0.0.1:{LoopbackPort.Free()}/v2/PhoneNumbers/%2B{Secret}16?Fields=line_type_intelligence"));
        }

        var tracer = factory.Services.GetRequiredService<TracerProvider>();
        var items = await ingestion.WaitForAsync(tracer, text =>
            text.Contains("/PhoneNumbers/", StringComparison.Ordinal) && text.Contains("kill-switch", StringComparison.Ordinal)
            && text.Contains("/mcp", StringComparison.Ordinal));

        Assert.DoesNotContain(Secret, items, StringComparison.Ordinal);
        Assert.DoesNotContain("agent/", items, StringComparison.Ordinal);
        Assert.DoesNotContain(".example", items, StringComparison.Ordinal);
        Assert.True(items.Contains($"\"data\":\"http://127.0.0.1:", StringComparison.Ordinal), items);
        Assert.True(items.Contains($"/{Redacted}/PhoneNumbers/{Redacted}?{Redacted}\"", StringComparison.Ordinal), items);
        Assert.True(items.Contains($"\"url\":\"http://{Redacted}/{Redacted}?{Redacted}\"", StringComparison.Ordinal), items);
        Assert.True(items.Contains("\"name\":\"GET /admin/callers/{callerId}/kill-switch\"", StringComparison.Ordinal), items);
        Assert.True(items.Contains($"\"url\":\"http://localhost/{Redacted}\"", StringComparison.Ordinal), items);
        Assert.True(items.Contains("\"url\":\"http://localhost/mcp\"", StringComparison.Ordinal), items);
    }

    private sealed class ExportingFactory : SmsMcpFactory
    {
        // HTTPS: the exporter sends its bearer token only to a TLS endpoint. The transport never dials it.
        private static readonly string Endpoint = $"https://127.0.0.1:{LoopbackPort.Free()}/";

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new(TelemetryServiceCollectionExtensions.ConnectionStringSetting,
                $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={Endpoint};LiveEndpoint={Endpoint}"),
        ];
    }

    /// <summary>
    /// Application Insights' ingestion as the exporter's transport: every request body (gzip or plain) is kept as text
    /// and answered as the service answers an accepted batch. Live metrics' pings are told a session is watching, so it
    /// posts its documents too.
    /// </summary>
    private sealed class CapturingIngestion : HttpMessageHandler
    {
        private readonly List<string> _bodies = [];

        public async Task<string> WaitForAsync(TracerProvider tracer, Func<string, bool> complete)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                tracer.ForceFlush(5_000);
                string text;
                lock (_bodies)
                {
                    text = string.Join("\n", _bodies);
                }

                if (complete(text) || DateTime.UtcNow > deadline)
                {
                    Assert.True(complete(text), "The exporter did not send the expected items:\n" + text);
                    return text;
                }

                await Task.Delay(200);
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var gzip = request.Content?.Headers.ContentEncoding.Contains("gzip") == true;
            var text = gzip ? await GunzipAsync(body) : Encoding.UTF8.GetString(body);
            lock (_bodies)
            {
                _bodies.Add(request.RequestUri + "\n" + text);
            }

            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"itemsReceived":{{items}},"itemsAccepted":{{items}},"errors":[]}""", Encoding.UTF8, "application/json"),
            };
            response.Headers.Add("x-ms-qps-subscribed", "true");
            return response;
        }

        private static async Task<string> GunzipAsync(byte[] body)
        {
            await using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }
}
