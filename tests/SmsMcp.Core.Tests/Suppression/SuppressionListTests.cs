using SmsMcp.Core.Audit;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Suppression;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Suppression;

/// <summary>Opted-out numbers are never texted again, whatever the policy allows; a list that cannot be read stops the send.</summary>
[Collection(SequentialCollection.Name)]
public sealed class SuppressionListTests
{
    private static PhoneNumber Demo => PhoneNumberParser.TryParse("+12025550123", out var n, out _) ? n : throw new InvalidOperationException();

    [Fact]
    public async Task AddCheckRemove_RoundTrips_AndStoresNoRawNumber()
    {
        await using var h = await PipelineHarness.CreateAsync();
        Assert.False(await h.Suppressions.IsSuppressedAsync(Demo, CancellationToken.None));

        await h.Suppressions.AddAsync(Demo, SuppressionSource.StopReply, CancellationToken.None);
        await h.Suppressions.AddAsync(Demo, SuppressionSource.ProviderOptOut, CancellationToken.None);
        Assert.True(await h.Suppressions.IsSuppressedAsync(Demo, CancellationToken.None));

        var page = await h.Store.QueryPartitionAsync(SuppressionList.Table, "optout", null, null, 100, null, CancellationToken.None);
        var row = Assert.Single(page.Entities);
        Assert.DoesNotContain("2025550123", row.RowKey + string.Join(",", row.Properties.Values), StringComparison.Ordinal);
        Assert.Equal(nameof(SuppressionSource.ProviderOptOut), row.Get<string>("Source"));

        Assert.True(await h.Suppressions.RemoveAsync(Demo, CancellationToken.None));
        Assert.False(await h.Suppressions.RemoveAsync(Demo, CancellationToken.None));
        Assert.False(await h.Suppressions.IsSuppressedAsync(Demo, CancellationToken.None));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("+12025550123")]
    public async Task OptedOutRecipient_RefusedWhetherByAliasOrNumber_NothingSent_OneAuditRecord(string to)
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.Suppressions.AddAsync(Demo, SuppressionSource.StopReply, CancellationToken.None);

        var outcome = await h.SendAsync(to, "hi");

        Assert.Equal(ReasonCodes.RecipientOptedOut, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditDecision.Denied, ReasonCodes.RecipientOptedOut), (record.Decision, record.ReasonCode));
        Assert.Equal(ReasonCodes.RecipientOptedOut, (await h.Pipeline.PreviewAsync(PipelineHarness.Caller, to, "hi", CancellationToken.None)).Refusal?.Code);
    }

    [Fact]
    public async Task OtherRecipients_StillReachable()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.Suppressions.AddAsync(Demo, SuppressionSource.Operator, CancellationToken.None);
        Assert.NotNull((await h.SendAsync("+12025550124", "hi")).Result);
    }

    [Fact]
    public async Task SuppressionListUnreadable_FailsClosed()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Store.Fail("get", SuppressionList.Table);

        var outcome = await h.SendAsync("demo", "hi");

        Assert.Equal(ReasonCodes.StorageUnavailable, outcome.Refusal?.Code);
        Assert.Empty(h.Outbox());
        Assert.Equal(ReasonCodes.StorageUnavailable, (await h.Pipeline.PreviewAsync(PipelineHarness.Caller, "demo", "hi", CancellationToken.None)).Refusal?.Code);
        h.Store.Heal();
        Assert.Equal(ReasonCodes.StorageUnavailable, Assert.Single(await h.AuditAsync()).ReasonCode);
    }
}
