using System.Security.Cryptography;
using System.Text.Json;
using SmsMcp.Core.Audit;
using SmsMcp.EndToEnd.Tests.Infrastructure;
using SmsMcp.Http.Auth;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Human confirmation in the client (profile <c>"confirm": "client"</c>) against the real server in sandbox mode, driven
/// by the real TypeScript SDK v2 client pinned to 2026-07-28 (tests/peers/ts-confirm.mjs): its elicitation handler
/// accepting sends exactly once; declining, cancelling, leaving the box unticked, a tampered, replayed, expired or
/// answerless state, a state from another caller and a client that cannot elicit send nothing — and every call leaves
/// exactly one audit record (the question a pending one). A profile with <c>"confirmFallback": "approval"</c> holds such a send for an operator.
/// </summary>
public sealed class ClientConfirmationTests(ClientConfirmationTests.Fixture fixture, ClientConfirmationTests.ExpiringFixture expiring)
    : IClassFixture<ClientConfirmationTests.Fixture>, IClassFixture<ClientConfirmationTests.ExpiringFixture>
{
    public const string OtherKey = "e2e-other-key-0123456789abcdefghijklmn";
    public const string FallbackKey = "e2e-fallback-key-0123456789abcdefghijk";

    private const string Policy = """
        {
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": {
            "confirming": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "confirm": "client" },
            "confirming-or-approval": { "allow": { "recipients": ["demo"] }, "countries": ["US"], "confirm": "client", "confirmFallback": "approval" }
          },
          "callers": { "dev": "confirming", "other": "confirming", "fallback": "confirming-or-approval" }
        }
        """;

    /// <summary>A server whose confirmations live the default five minutes; two more callers besides the dev one.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _policyPath = Path.Combine(Path.GetTempPath(), $"smsmcp-e2e-confirm-{Guid.NewGuid():N}.json");

        public byte[] SealKey { get; } = RandomNumberGenerator.GetBytes(32);

        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(_policyPath, Policy);
            Server = await ServerProcess.StartAsync(Settings(_policyPath, SealKey));
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            File.Delete(_policyPath);
        }
    }

    /// <summary>
    /// A server whose confirmations live one millisecond: any state is expired by the time a client's retry (a whole
    /// loopback HTTP round trip later) arrives. No sleep involved.
    /// </summary>
    public sealed class ExpiringFixture : IAsyncLifetime
    {
        private readonly string _policyPath = Path.Combine(Path.GetTempPath(), $"smsmcp-e2e-confirm-exp-{Guid.NewGuid():N}.json");

        public byte[] SealKey { get; } = RandomNumberGenerator.GetBytes(32);

        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(_policyPath, Policy);
            var settings = Settings(_policyPath, SealKey);
            settings["Confirmation__Lifetime"] = "00:00:00.001";
            Server = await ServerProcess.StartAsync(settings);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            File.Delete(_policyPath);
        }
    }

    private static Dictionary<string, string> Settings(string policyPath, byte[] sealKey)
    {
        var other = ApiKeyHash.Create(OtherKey);
        var fallback = ApiKeyHash.Create(FallbackKey);
        return new Dictionary<string, string>
        {
            ["Policy__Path"] = policyPath,
            ["Audit__SealKey"] = Convert.ToBase64String(sealKey),
            ["Auth__Callers__0__Id"] = "other",
            ["Auth__Callers__0__KeySalt"] = other.SaltBase64,
            ["Auth__Callers__0__KeyHash"] = other.HashBase64,
            ["Auth__Callers__1__Id"] = "fallback",
            ["Auth__Callers__1__KeySalt"] = fallback.SaltBase64,
            ["Auth__Callers__1__KeyHash"] = fallback.HashBase64,
        };
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditAsync(ServerProcess server, byte[] sealKey)
    {
        using var store = new SqliteTableStore(new SqliteStorageOptions { Path = Path.Combine(server.DataDirectory, "smsmcp.db") });
        return await new AuditLog(store, new AuditSealer(sealKey), TimeProvider.System).ReadDayAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
    }

    /// <param name="NewAuditRecords">The records of the calls that ended the run (every record but the questions').</param>
    /// <param name="Questions">The records of the calls answered with the question: one per elicitation.</param>
    private sealed record Run(JsonElement Output, IReadOnlyList<string> NewOutboxLines, IReadOnlyList<AuditRecord> NewAuditRecords, IReadOnlyList<AuditRecord> Questions)
    {
        public IReadOnlyList<JsonElement> Results => [.. Output.GetProperty("results").EnumerateArray()];

        public IReadOnlyList<JsonElement> Elicitations => [.. Output.GetProperty("elicitations").EnumerateArray()];
    }

    private static async Task<Run> RunAsync(ServerProcess server, byte[] sealKey, string scenario, string body, string key = ServerProcess.ApiKey,
        string mode = "2026-07-28", string elicit = "form")
    {
        var outboxBefore = server.OutboxLines().Count;
        var auditBefore = (await AuditAsync(server, sealKey)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var run = await ProcessRunner.RunAsync(Peers.Node, [Peers.File("ts-confirm.mjs")], new Dictionary<string, string>
        {
            ["MCP_URL"] = server.McpUrl.ToString(),
            ["MCP_API_KEY"] = key,
            ["MCP_API_KEY_2"] = OtherKey,
            ["MCP_MODE"] = mode,
            ["MCP_BODY"] = body,
            ["MCP_ELICIT"] = elicit,
            ["CONFIRM_SCENARIO"] = scenario,
        });
        Assert.True(run.ExitCode == 0, run.ToString());
        var output = JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
        Assert.Equal(mode == "legacy" ? "2025-11-25" : mode, output.GetProperty("protocolVersion").GetString());
        var added = (await AuditAsync(server, sealKey)).Where(r => !auditBefore.Contains(r.Id) && r.Tool == "send_sms").ToList();
        var questions = added.Where(r => r.ReasonCode == "confirmation_requested").ToList();
        var result = new Run(output, [.. server.OutboxLines().Skip(outboxBefore)], [.. added.Except(questions)], questions);

        // Every question put to the client is on the trail, pending, with the recipient's pseudonym.
        Assert.Equal(result.Elicitations.Count, questions.Count);
        Assert.All(questions, q => Assert.Equal((AuditDecision.Pending, true), (q.Decision, q.RecipientRef is not null)));
        return result;
    }

    private static string Text(JsonElement result) => result.GetProperty("content")[0].GetProperty("text").GetString()!;

    private static void AssertRefused(JsonElement result, string code)
    {
        Assert.True(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), result.ToString());
        Assert.StartsWith(code + ":", Text(result), StringComparison.Ordinal);
    }

    /// <summary>One answer, refused with <paramref name="code"/>; nothing in the outbox; one audit record, denied for the same code.</summary>
    private static void AssertRefusedNothingSent(Run run, string code)
    {
        AssertRefused(Assert.Single(run.Results), code);
        Assert.Empty(run.NewOutboxLines);
        var record = Assert.Single(run.NewAuditRecords);
        Assert.Equal((AuditDecision.Denied, code), (record.Decision, record.ReasonCode));
    }

    [Fact]
    public async Task Accepted_FormShowsTheMessage_SentExactlyOnce_OneAcceptedAuditRecord()
    {
        var body = $"confirm accept {Guid.NewGuid():N}";
        var run = await RunAsync(fixture.Server, fixture.SealKey, "accept", body);

        var elicitation = Assert.Single(run.Elicitations);
        var message = elicitation.GetProperty("message").GetString()!;
        Assert.Contains("demo (+1 ********23)", message, StringComparison.Ordinal);
        Assert.Contains(body, message, StringComparison.Ordinal);
        Assert.Contains("Segments: 1", message, StringComparison.Ordinal);
        Assert.Contains("Estimated cost:", message, StringComparison.Ordinal);
        Assert.DoesNotContain("+12025550123", message, StringComparison.Ordinal);
        Assert.Equal("boolean", elicitation.GetProperty("requestedSchema").GetProperty("properties").GetProperty("confirm").GetProperty("type").GetString());

        var result = Assert.Single(run.Results);
        Assert.Equal("delivered", result.GetProperty("structuredContent").GetProperty("status").GetString());
        var line = Assert.Single(run.NewOutboxLines);
        Assert.Contains(body, line, StringComparison.Ordinal);
        var record = Assert.Single(run.NewAuditRecords);
        Assert.Equal((AuditDecision.Accepted, "accepted"), (record.Decision, record.ReasonCode));
    }

    [Theory]
    [InlineData("decline")]
    [InlineData("cancel")]
    [InlineData("untick")]
    public async Task NotConfirmed_RefusedDeclined_NothingSent_OneAuditRecord(string scenario)
    {
        var run = await RunAsync(fixture.Server, fixture.SealKey, scenario, $"confirm {scenario} {Guid.NewGuid():N}");

        Assert.Single(run.Elicitations);
        AssertRefusedNothingSent(run, "confirmation_declined");
    }

    [Theory]
    [InlineData("tamper", "confirmation_invalid")]
    [InlineData("other-caller", "confirmation_invalid")]
    [InlineData("no-answer", "confirmation_invalid")]
    public async Task BadState_Refused_NothingSent_OneAuditRecord(string scenario, string code)
    {
        var run = await RunAsync(fixture.Server, fixture.SealKey, scenario, $"confirm {scenario} {Guid.NewGuid():N}");

        AssertRefusedNothingSent(run, code);
    }

    [Fact]
    public async Task ReplayedState_SecondUseRefused_SentOnce_OneAuditRecordPerAttempt()
    {
        var body = $"confirm replay {Guid.NewGuid():N}";
        var run = await RunAsync(fixture.Server, fixture.SealKey, "replay", body);

        Assert.Equal(2, run.Results.Count);
        Assert.Equal("delivered", run.Results[0].GetProperty("structuredContent").GetProperty("status").GetString());
        AssertRefused(run.Results[1], "confirmation_replayed");
        Assert.Contains(body, Assert.Single(run.NewOutboxLines), StringComparison.Ordinal);
        Assert.Equal(
            new[] { (AuditDecision.Accepted, "accepted"), (AuditDecision.Denied, "confirmation_replayed") }.Order(),
            run.NewAuditRecords.Select(r => (r.Decision, r.ReasonCode)).Order());
    }

    [Fact]
    public async Task ExpiredState_RefusedExpired_NothingSent_OneAuditRecord()
    {
        var run = await RunAsync(expiring.Server, expiring.SealKey, "accept", $"confirm expired {Guid.NewGuid():N}");

        Assert.Single(run.Elicitations);
        AssertRefusedNothingSent(run, "confirmation_expired");
    }

    [Fact]
    public async Task RequestTheWalkWouldRefuse_NotPutToThePerson_RefusedWithItsReason_OneAuditRecord()
    {
        var run = await RunAsync(fixture.Server, fixture.SealKey, "accept", $"see https://evil.example/{Guid.NewGuid():N}");

        Assert.Empty(run.Elicitations);
        AssertRefusedNothingSent(run, "url_not_allowed");
    }

    [Theory]
    [InlineData("legacy", "form")]
    [InlineData("2026-07-28", "none")]
    public async Task ClientThatCannotElicit_RefusedUnavailable_NothingSent_OneAuditRecord(string mode, string elicit)
    {
        var run = await RunAsync(fixture.Server, fixture.SealKey, "accept", $"confirm unavailable {Guid.NewGuid():N}", mode: mode, elicit: elicit);

        Assert.Empty(run.Elicitations);
        AssertRefusedNothingSent(run, "confirmation_unavailable");
    }

    [Theory]
    [InlineData("legacy", "form")]
    [InlineData("2026-07-28", "none")]
    public async Task ClientThatCannotElicit_ApprovalFallback_HeldForOperator_NothingSent_OneAuditRecord(string mode, string elicit)
    {
        var run = await RunAsync(fixture.Server, fixture.SealKey, "accept", $"confirm fallback {Guid.NewGuid():N}", FallbackKey, mode, elicit);

        Assert.Empty(run.Elicitations);
        var result = Assert.Single(run.Results);
        Assert.Equal("pending_approval", result.GetProperty("structuredContent").GetProperty("status").GetString());
        Assert.Empty(run.NewOutboxLines);
        var record = Assert.Single(run.NewAuditRecords);
        Assert.Equal((AuditDecision.Pending, "pending_approval"), (record.Decision, record.ReasonCode));
    }
}
