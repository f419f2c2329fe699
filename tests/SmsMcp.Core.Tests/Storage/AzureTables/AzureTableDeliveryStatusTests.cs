using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Watchdog.Counters;
using SmsMcp.Infrastructure.Storage.AzureTables;
using SmsMcp.Infrastructure.Twilio;

namespace SmsMcp.Core.Tests.Storage.AzureTables;

/// <summary>
/// The status walk's concurrency on Table Storage (a real Azurite): ETags from the REST backend make racing callbacks
/// apply each transition exactly once, with one audit record and one failure count.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableDeliveryStatusTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task RacingCallbacks_OneTransitionApplied_OneAuditRecord_OneFailureCounted()
    {
        var store = new AzureTableStore(new AzureTableStoreOptions { ConnectionString = fixture.Azurite.ConnectionString });
        foreach (var table in new[] { MessageStore.LegacyTable, MessageIndex.LegacyTable, AuditLog.Table, TrafficCounters.Table, SuppressionList.Table })
        {
            await store.CreateTableIfNotExistsAsync(table, CancellationToken.None);
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var pseudonymizer = new Pseudonymizer(new byte[32]);
        var messages = new MessageStore(store);
        var audit = new AuditLog(store, new AuditSealer(new byte[32]), time);
        var failures = new TrafficCounters(store, PipelineHarness.DevelopmentPolicy(), pseudonymizer, time);
        var service = new DeliveryStatusService(messages, audit, failures, new SuppressionList(store, pseudonymizer, time), pseudonymizer, time,
            NullLogger<DeliveryStatusService>.Instance);
        var caller = "azurite-" + Guid.NewGuid().ToString("N");
        const string sid = "SM0123456789abcdef0123456789abcdef";
        var record = new MessageRecord
        {
            MessageId = MessageStore.NewMessageId(time.GetUtcNow()), CallerId = caller, RecipientMasked = "+1 ********23", RecipientRef = "r_x",
            Status = MessageStatus.Queued, Segments = 1, Encoding = SmsEncoding.Gsm7, Provider = "twilio", CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow(),
        };
        await messages.InsertAsync(record, CancellationToken.None);
        await messages.SaveSendResultAsync(record with { ProviderMessageId = sid }, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => service.ApplyAsync(
            TwilioDeliveryReports.From(record.MessageId, sid, i % 4 == 0 ? "sent" : "undelivered", 30003, null), DeliveryStatusService.CallbackTool, CancellationToken.None))));

        var stored = await messages.GetAsync(caller, record.MessageId, CancellationToken.None);
        Assert.Equal((MessageStatus.Undelivered, 30003), (stored!.Status, stored.ErrorCode));
        var transitions = (await audit.ReadDayAsync(new DateOnly(2026, 11, 21), CancellationToken.None)).Where(r => r.MessageId == record.MessageId).ToList();
        Assert.Equal(outcomes.Count(o => o == DeliveryUpdateOutcome.Applied), transitions.Count);
        Assert.Single(transitions, r => r.ReasonCode == "undelivered");
        var bucket = await failures.ReadAsync(caller, time.GetUtcNow(), CancellationToken.None);
        Assert.Equal((1L, 0L), (bucket.Undelivered, bucket.Failed));
    }
}
