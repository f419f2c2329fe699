using System.Text.Json;
using System.Text.Json.Nodes;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Vocabulary;
using SmsMcp.EndToEnd.Tests.Infrastructure;
using SmsMcp.Infrastructure.Storage.AzureTables;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Table Storage goes away under running servers and comes back: while it is gone every send is refused
/// <c>storage_unavailable</c> and nothing goes out (fail closed); once it is back the same processes — not restarted —
/// send again; and every message that went out has its completed audit record (no unaudited send).
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class StorageOutageTests
{
    [Fact]
    public async Task AzuriteStoppedMidRun_SendsRefusedNothingSent_RestartedSendsResume_EveryOutboxLineAudited()
    {
        var cancellationToken = CancellationToken.None;
        await using var azurite = await AzuriteEmulator.StartAsync(new AzuriteOptions { Persistent = true });
        await using var cluster = await ServerCluster.StartAsync(azurite, processes: 2, ClusterPolicy.Unlimited);
        // Half the calls carry an idempotency key, so the claim path is exercised in the outage too; a refused call
        // must leave its key free for the retry after the outage.
        Func<string, int, JsonObject> send = (phase, i) => ServerCluster.SendSms("demo", $"{phase} {i}", i % 2 == 0 ? $"{phase}-{i}" : null);

        var before = await cluster.SendManyAsync(6, i => send("before", i), cancellationToken);
        Assert.All(before, r => Assert.False(r.IsError, r.ToString()));
        Assert.Equal(6, cluster.OutboxLines().Count);

        await azurite.StopAsync();
        var during = await cluster.SendManyAsync(6, i => send("during", i), cancellationToken);
        Assert.All(during, r => Assert.Equal(ReasonCodes.StorageUnavailable, r.ReasonCode));
        Assert.Equal(6, cluster.OutboxLines().Count);

        await azurite.RestartAsync();
        // The same calls as during the outage, keys included: retried, they go out.
        var after = await cluster.SendManyAsync(6, i => send("during", i), cancellationToken);
        Assert.All(after, r => Assert.False(r.IsError, r.ToString()));
        Assert.All(after, r => Assert.False(r.Replayed));

        var sentIds = cluster.OutboxLines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message_id").GetString()).ToList();
        Assert.Equal(12, sentIds.Count);
        Assert.Equal(before.Concat(after).Select(r => r.MessageId).Order(), sentIds.Order());
        var store = new AzureTableStore(new AzureTableStoreOptions { ConnectionString = azurite.ConnectionString });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var days = new[] { today.AddDays(-1), today };
        var audit = new AuditLog(store, cluster.Sealer, TimeProvider.System);
        var records = new List<AuditRecord>();
        foreach (var day in days)
        {
            records.AddRange(await audit.ReadDayAsync(day, cancellationToken));
        }

        Assert.All(sentIds, id => Assert.Single(records, r =>
            r.MessageId == id && r.Stage == AuditStage.Completed && r.Decision == AuditDecision.Accepted && r.ReasonCode == ReasonCodes.Accepted));
        var verification = await new AuditVerifier(store, cluster.Sealer).VerifyAsync(days[0], days[1], cancellationToken);
        Assert.True(verification.IsIntact, string.Join("\n", verification.Problems));
        Assert.Empty(verification.Pending);
    }
}
