using SmsMcp.Core.Audit;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Tests.Infrastructure;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Sending;

/// <summary>
/// What the pipeline does with the provider's two non-happy answers: an outcome nobody knows (recorded as unknown,
/// replayed, never re-sent) and a certain refusal carrying a reason code (answered with that reason's refusal).
/// </summary>
public sealed class SendPipelineProviderOutcomeTests
{
    private static PhoneNumber Demo => PhoneNumberParser.TryParse("+12025550123", out var n, out _) ? n : throw new InvalidOperationException();

    private sealed class ScriptedProvider(Func<ProviderSendResult> answer) : ISmsProvider
    {
        public int Calls { get; private set; }

        public string Name => "scripted";

        public Task<ProviderSendResult> SendAsync(ProviderMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer());
        }
    }

    [Fact]
    public async Task UnknownOutcome_RecordedAsUnknownNotFailedNorAccepted_AndTheKeyReplaysIt()
    {
        var provider = new ScriptedProvider(() => ProviderSendResult.Unknown);
        await using var h = await PipelineHarness.CreateAsync(provider);

        var outcome = await h.SendAsync("demo", "maybe sent", key: "k-unknown");

        var result = Assert.IsType<SendResult>(outcome.Result);
        Assert.Equal(MessageStatus.Unknown, result.Status);
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Pending, ReasonCodes.ProviderOutcomeUnknown),
            (record.Stage, record.Decision, record.ReasonCode));
        var message = await h.Messages.GetAsync(PipelineHarness.Caller.Id, result.MessageId, CancellationToken.None);
        Assert.Equal((MessageStatus.Unknown, null), (message!.Status, message.ProviderMessageId));
        Assert.Equal(1, (await h.Quotas.UsageAsync(PipelineHarness.Caller, CancellationToken.None)).Today.Messages);

        // The caller retries with the same key: the first answer comes back and the provider is not called again.
        var again = await h.SendAsync("demo", "maybe sent", key: "k-unknown");
        Assert.Equal((result.MessageId, MessageStatus.Unknown, true), (again.Result!.MessageId, again.Result.Status, again.Result.Replayed));
        Assert.Equal(1, provider.Calls);
    }

    [Theory]
    [InlineData(ReasonCodes.RecipientOptedOut)]
    [InlineData(ReasonCodes.DestinationNotPermitted)]
    [InlineData(ReasonCodes.PumpingProtection)]
    [InlineData(ReasonCodes.ProviderRateLimited)]
    [InlineData(ReasonCodes.ProviderCredentials)]
    public async Task ProviderRefusalWithReason_AnsweredAndAuditedWithThatReason(string reason)
    {
        var provider = new ScriptedProvider(() => throw new SmsProviderException("Carrier said no.", reason));
        await using var h = await PipelineHarness.CreateAsync(provider);

        var outcome = await h.SendAsync("demo", "refused");

        Assert.Equal(reason, outcome.Refusal?.Code);
        Assert.Equal(Refusal.ForProviderFailure(reason), outcome.Refusal);
        var record = Assert.Single(await h.AuditAsync());
        Assert.Equal((AuditStage.Completed, AuditDecision.Failed, reason), (record.Stage, record.Decision, record.ReasonCode));
    }

    [Fact]
    public async Task ProviderSaysOptedOut_NumberSuppressed_NextSendRefusedWithoutAskingTheProvider()
    {
        var provider = new ScriptedProvider(() => throw new SmsProviderException("Carrier said no.", ReasonCodes.RecipientOptedOut));
        await using var h = await PipelineHarness.CreateAsync(provider);

        Assert.Equal(ReasonCodes.RecipientOptedOut, (await h.SendAsync("demo", "first")).Refusal?.Code);
        Assert.Equal(ReasonCodes.RecipientOptedOut, (await h.SendAsync("demo", "second")).Refusal?.Code);

        Assert.Equal(1, provider.Calls);
        Assert.True(await h.Suppressions.IsSuppressedAsync(Demo, CancellationToken.None));
    }

    [Theory]
    [InlineData(ReasonCodes.DestinationNotPermitted)]
    [InlineData(ReasonCodes.ProviderFailed)]
    public async Task OtherProviderRefusals_DoNotSuppressTheNumber(string reason)
    {
        var provider = new ScriptedProvider(() => throw new SmsProviderException("Carrier said no.", reason));
        await using var h = await PipelineHarness.CreateAsync(provider);

        await h.SendAsync("demo", "refused");

        Assert.False(await h.Suppressions.IsSuppressedAsync(Demo, CancellationToken.None));
    }

    [Fact]
    public async Task ProviderRefusalWithUnknownReason_AnsweredAsProviderFailed()
    {
        var provider = new ScriptedProvider(() => throw new SmsProviderException("Carrier said no.", "something_new"));
        await using var h = await PipelineHarness.CreateAsync(provider);

        var outcome = await h.SendAsync("demo", "refused");

        Assert.Equal(ReasonCodes.ProviderFailed, outcome.Refusal?.Code);
        Assert.Equal(ReasonCodes.ProviderFailed, Assert.Single(await h.AuditAsync()).ReasonCode);
    }
}
