using SmsMcp.Core.Delivery;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Delivery;

/// <summary>
/// Reconciliation against the loopback Twilio through the real client: only messages older than the minimum age are
/// fetched (counted GETs), the fetched status is applied like a callback, final messages leave the pending index.
/// </summary>
public sealed class StatusReconcilerTests
{
    private static string Caller => PipelineHarness.Caller.Id;

    private static int Fetches(DeliveryHarness h) => h.Twilio.Requests.Count(r => r.Method == "GET");

    private static async Task<MessageStatus> StatusOf(DeliveryHarness h, string id) =>
        (await h.Pipeline.Messages.GetAsync(Caller, id, CancellationToken.None))!.Status;

    [Fact]
    public async Task YoungMessages_NotFetched()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(9));

        var summary = await h.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0), (summary.Fetched, Fetches(h)));
        Assert.Equal(MessageStatus.Queued, await StatusOf(h, id));
    }

    [Fact]
    public async Task OldNonFinalMessage_FetchedBySid_StatusApplied_AuditedAsReconcile_ThenSettled()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        var sid = await h.ProviderIdOf(id);
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(11));
        h.FetchedStatus = ("undelivered", 30003);

        var first = await h.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (first.Fetched, first.Applied, Fetches(h)));
        Assert.EndsWith($"/Messages/{sid}.json", h.Twilio.Requests.Single(r => r.Method == "GET").Target, StringComparison.Ordinal);
        var record = (await h.Pipeline.Messages.GetAsync(Caller, id, CancellationToken.None))!;
        Assert.Equal((MessageStatus.Undelivered, 30003), (record.Status, record.ErrorCode));
        var transition = Assert.Single(await h.TransitionsAsync());
        Assert.Equal((DeliveryStatusService.ReconcileTool, ReasonCodes.StatusUndelivered), (transition.Tool, transition.ReasonCode));
        Assert.Equal(1, (await h.BucketAsync(Caller)).Undelivered);

        // A final status took it off the pending index: the next run has nothing to look at.
        var second = await h.Reconciler.RunAsync(CancellationToken.None);
        Assert.Equal((0, 0), (second.Examined, Fetches(h) - 1));
    }

    [Fact]
    public async Task FetchStillSent_AppliedOnce_FetchedAgainNextRun()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(30));
        h.FetchedStatus = ("sent", null);

        Assert.Equal(1, (await h.Reconciler.RunAsync(CancellationToken.None)).Applied);
        Assert.Equal(0, (await h.Reconciler.RunAsync(CancellationToken.None)).Applied);
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(10));
        h.FetchedStatus = ("delivered", null);
        Assert.Equal(1, (await h.Reconciler.RunAsync(CancellationToken.None)).Applied);

        Assert.Equal((MessageStatus.Delivered, 3), (await StatusOf(h, id), Fetches(h)));
        Assert.Equal([ReasonCodes.StatusSent, ReasonCodes.StatusDelivered], (await h.TransitionsAsync()).Select(r => r.ReasonCode));
    }

    [Fact]
    public async Task DeliveredByCallback_SettledWithoutAFetch()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        await h.CallbackAsync(id, await h.ProviderIdOf(id), "delivered");
        var other = await h.SendAsync();
        await h.CallbackAsync(other, await h.ProviderIdOf(other), "sent");
        h.Pipeline.Time.Advance(TimeSpan.FromHours(1));

        var summary = await h.Reconciler.RunAsync(CancellationToken.None);

        // The delivered one left the index when the callback applied; the sent one is fetched.
        Assert.Equal((1, 1, 1), (summary.Examined, summary.Fetched, Fetches(h)));
    }

    [Fact]
    public async Task UnknownOutcomeWithoutSid_NotFetched_Counted()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        h.DropCreates = true;
        var id = await h.SendAsync();
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(15));

        var summary = await h.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((1, 0, 0), (summary.WithoutCarrierId, summary.Fetched, Fetches(h)));
        Assert.Equal(MessageStatus.Unknown, await StatusOf(h, id));
    }

    [Fact]
    public async Task OlderThanTheLookback_NotFetched()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        await h.SendAsync();
        h.Pipeline.Time.Advance(TimeSpan.FromDays(3));

        var summary = await h.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0), (summary.Fetched, Fetches(h)));
    }

    [Fact]
    public async Task TwilioCannotAnswer_CountedAsError_MessageUnchanged()
    {
        await using var h = await DeliveryHarness.CreateAsync();
        var id = await h.SendAsync();
        h.Pipeline.Time.Advance(TimeSpan.FromMinutes(11));
        h.FetchedStatus = ("delivered\", \"broken", null); // invalid JSON from Twilio

        var summary = await h.Reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((1, 1, 0), (summary.Errors, summary.Fetched, summary.Applied));
        Assert.Equal(MessageStatus.Queued, await StatusOf(h, id));
    }
}
