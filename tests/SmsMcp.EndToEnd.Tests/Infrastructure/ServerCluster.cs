using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SmsMcp.Core.Audit;

namespace SmsMcp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// N real server processes sharing one Azurite (Storage:Provider=AzureTables), one policy file, one sandbox outbox and
/// the same audit pseudonymization and seal keys — what N instances of one Functions app look like. Each process keeps
/// its own data directory; the sandbox provider appends whole lines under an exclusive file lock, so concurrent senders
/// in several processes neither lose nor tear lines.
/// <code>
/// await using var azurite = await AzuriteEmulator.StartAsync();
/// await using var cluster = await ServerCluster.StartAsync(azurite, processes: 4, policyJson);
/// var results = await cluster.SendManyAsync(64, i => ServerCluster.SendSms("demo", "hello " + i));
/// Assert.Equal(50, cluster.OutboxLines().Count);
/// </code>
/// </summary>
public sealed class ServerCluster : IAsyncDisposable
{
    private readonly string _directory;
    // Many calls at once over plain JSON-RPC: enough connections for all of them.
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { Timeout = TimeSpan.FromMinutes(2) };

    private ServerCluster(string directory, byte[] pseudonymizationKey, byte[] sealKey)
    {
        _directory = directory;
        PseudonymizationKey = pseudonymizationKey;
        SealKey = sealKey;
    }

    public IReadOnlyList<ServerProcess> Servers { get; private set; } = [];

    public string OutboxPath => Path.Combine(_directory, "sandbox-outbox.jsonl");

    public string PolicyPath => Path.Combine(_directory, "policy.json");

    public byte[] PseudonymizationKey { get; }

    public byte[] SealKey { get; }

    /// <summary>The sealer every process writes the audit trail with: give it to <see cref="AuditVerifier"/>.</summary>
    public AuditSealer Sealer => new(SealKey);

    /// <summary>Starts <paramref name="processes"/> servers together; <paramref name="settings"/> are extra environment variables for all.</summary>
    public static async Task<ServerCluster> StartAsync(AzuriteEmulator azurite, int processes, string policyJson, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        var cluster = new ServerCluster(Directory.CreateTempSubdirectory("smsmcp-cluster-").FullName,
            RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(cluster.PolicyPath, policyJson);
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "AzureTables",
            ["Storage__ConnectionString"] = azurite.ConnectionString,
            // An outage is answered in about a second instead of the 5 s default (retries included).
            ["Storage__RequestTimeout"] = "00:00:01",
            ["Policy__Path"] = cluster.PolicyPath,
            ["Sms__Provider"] = "Sandbox",
            ["Sms__Sandbox__OutboxPath"] = cluster.OutboxPath,
            ["Audit__PseudonymizationKey"] = Convert.ToBase64String(cluster.PseudonymizationKey),
            ["Audit__SealKey"] = Convert.ToBase64String(cluster.SealKey),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var starting = Enumerable.Range(0, processes).Select(_ => ServerProcess.StartAsync(environment)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Whatever started is the cluster's to stop, also when a sibling failed to start.
            cluster.Servers = [.. starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)];
        }

        return cluster;
    }

    /// <summary><c>send_sms</c> arguments.</summary>
    public static JsonObject SendSms(string to, string body, string? idempotencyKey = null)
    {
        var arguments = new JsonObject { ["to"] = to, ["body"] = body };
        if (idempotencyKey is not null)
        {
            arguments["idempotency_key"] = idempotencyKey;
        }

        return arguments;
    }

    /// <summary>
    /// Fires <paramref name="count"/> <c>send_sms</c> calls at once, call i to process i mod N, and returns the answers in
    /// call order.
    /// </summary>
    public async Task<IReadOnlyList<ToolCallResult>> SendManyAsync(int count, Func<int, JsonObject> arguments, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            Task.Run(async () => ToolCallResult.From(await McpJsonRpc.CallToolAsync(_http, "send_sms", arguments(i), ServerProcess.ApiKey,
                Servers[i % Servers.Count].McpUrl, "2025-06-18", cancellationToken)), cancellationToken)));

    /// <summary>Every line of the shared outbox: one per message the sandbox "delivered", across all processes.</summary>
    public IReadOnlyList<string> OutboxLines() => File.Exists(OutboxPath) ? File.ReadAllLines(OutboxPath) : [];

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Servers.Select(s => s.DisposeAsync().AsTask()));
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
