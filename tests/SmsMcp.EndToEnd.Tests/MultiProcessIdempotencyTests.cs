using System.Text.Json;
using SmsMcp.EndToEnd.Tests.Infrastructure;

namespace SmsMcp.EndToEnd.Tests;

/// <summary>
/// Four real server processes on one Azurite: ten identical send_sms calls with one idempotency key, spread over the
/// processes and fired at once, send one message, and every caller gets its id.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class MultiProcessIdempotencyTests
{
    [Fact]
    public async Task TenIdenticalSendsOverFourProcesses_OneOutboxLine_OneMessageIdForEveryCaller()
    {
        await using var azurite = await AzuriteEmulator.StartAsync();
        await using var cluster = await ServerCluster.StartAsync(azurite, processes: 4, ClusterPolicy.Unlimited);

        var results = await cluster.SendManyAsync(10, _ => ServerCluster.SendSms("demo", "once, whichever instance answers", "cluster-retry-1"));

        Assert.All(results, r => Assert.False(r.IsError, r.ToString()));
        var messageId = Assert.Single(results.Select(r => r.MessageId).Distinct());
        Assert.False(string.IsNullOrEmpty(messageId));
        Assert.Equal(9, results.Count(r => r.Replayed));
        var line = Assert.Single(cluster.OutboxLines());
        using var sent = JsonDocument.Parse(line);
        Assert.Equal(messageId, sent.RootElement.GetProperty("message_id").GetString());
    }
}
