using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// What the real server process maps (/proc/PID/maps) in the local configuration — SQLite, the sandbox, no telemetry,
/// OAuth or remote alert channel — after it has answered a send: none of the adapters' SDKs for what is not configured.
/// Each one not loaded is memory (mapped code, its types, their JIT'd code) and start-up time the process never spends.
/// </summary>
public sealed class UnconfiguredAdaptersTests
{
    /// <summary>Assemblies only an adapter that is not configured here needs (file-name prefixes).</summary>
    private static readonly string[] NotConfigured =
    [
        "Azure.", // Table Storage, Blob audit heads, Key Vault, Identity, the Azure Monitor exporter
        "OpenTelemetry",
        "Twilio.dll",
        "Newtonsoft.Json.dll",
        "Microsoft.AspNetCore.Authentication.JwtBearer.dll",
        "Microsoft.IdentityModel.",
        "Microsoft.AspNetCore.DataProtection",
        "Microsoft.Extensions.Http.dll",
        "System.Net.Http.dll",
        "System.Linq.Expressions.dll",
    ];

    [Fact]
    public async Task LocalServer_AfterASend_MapsNoSdkOfAnAdapterThatIsNotConfigured()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = await OperatorClient.ConnectAgentAsync(server, "e2e-adapters", CancellationToken.None);
        var sent = await client.CallToolAsync("send_sms", new Dictionary<string, object?> { ["to"] = "demo", ["body"] = "adapters" });
        Assert.NotEqual(true, sent.IsError);
        Assert.Single(server.OutboxLines());

        var mapped = MappedAssemblies(server.ProcessId);
        // The reading works: the adapters that are configured are there.
        Assert.Contains("SmsMcp.Infrastructure.dll", mapped);
        Assert.Contains("Microsoft.Data.Sqlite.dll", mapped);
        Assert.DoesNotContain(mapped, name => NotConfigured.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConfiguredOAuthAndChatAlerts_LoadJwtBearerAndTheHttpClientFactory()
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth__OAuth__Enabled"] = "true",
            ["Auth__OAuth__Issuers__0__Issuer"] = "https://issuer.example/",
            ["Auth__OAuth__Principals__0__Issuer"] = "https://issuer.example/",
            ["Auth__OAuth__Principals__0__Subject"] = "11111111-1111-4111-8111-111111111111",
            ["Auth__OAuth__Principals__0__CallerId"] = "dev",
            ["Watchdog__Alerts__TeamsUrl"] = "https://alerts.example/teams",
        };
        await using var server = await ServerProcess.StartAsync(settings, port => new Dictionary<string, string>
        {
            ["Auth__OAuth__Resource"] = $"http://127.0.0.1:{port}/mcp",
        });

        var mapped = MappedAssemblies(server.ProcessId);
        Assert.Contains("Microsoft.AspNetCore.Authentication.JwtBearer.dll", mapped);
        Assert.Contains("Microsoft.Extensions.Http.dll", mapped);
    }

    private static HashSet<string> MappedAssemblies(int processId) =>
        File.ReadLines($"/proc/{processId}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileName(fields[5]))
            .ToHashSet(StringComparer.Ordinal);
}
