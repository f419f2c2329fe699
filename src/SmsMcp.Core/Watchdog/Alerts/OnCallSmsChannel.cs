using SmsMcp.Core.Audit;
using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>
/// Texts each alert's headline to the on-call aliases of the policy (<c>watchdog.onCall.aliases</c>) straight through the
/// provider, outside the send walk and every caller's quota, under its own daily budget
/// (<c>watchdog.onCall.maxPerDay</c>): an alert storm cannot become an SMS bill. The headline holds no number or body.
/// Like every send, each text has its audit record written before the provider is called (caller <c>watchdog</c>) and
/// completed after; if the record cannot be written, nothing is sent.
/// </summary>
public sealed class OnCallSmsChannel(
    SendPolicy policy, ISmsProvider provider, WatchdogState state, AuditLog audit, Pseudonymizer pseudonymizer, TimeProvider time) : IAlertChannel
{
    /// <summary>The audit record's tool and caller for on-call texts.</summary>
    public const string AuditTool = "watchdog_oncall_sms";

    public string Name => "oncall-sms";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var rules = policy.Watchdog;
        var text = "SmsMcp watchdog " + alert.Headline;
        var segmentation = SmsSegmenter.Analyze(text);
        foreach (var alias in rules.OnCallAliases)
        {
            if (!await state.TakeOnCallTextAsync(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), rules.OnCallMaxPerDay, cancellationToken))
            {
                throw new InvalidOperationException("The on-call SMS budget of the day is used up.");
            }

            var number = policy.Recipients[alias].Number;
            var now = time.GetUtcNow();
            var messageId = MessageStore.NewMessageId(now);
            var handle = await audit.BeginAsync(new AuditRecord
            {
                Id = AuditLog.NewId(now),
                Time = now,
                CallerId = AnomalyScan.Actor,
                Tool = AuditTool,
                RecipientRef = pseudonymizer.Recipient(number.E164),
                BodyHash = pseudonymizer.Body(text),
                BodyLength = text.Length,
                Segments = segmentation.Segments,
                Stage = AuditStage.Attempt,
                Decision = AuditDecision.Pending,
                ReasonCode = "",
                MessageId = messageId,
                PolicyVersion = policy.Version,
            }, CancellationToken.None);
            ProviderSendResult sent;
            try
            {
                sent = await provider.SendAsync(new ProviderMessage(messageId, number, text, segmentation), CancellationToken.None);
            }
            catch (SmsProviderException e)
            {
                await audit.CompleteAsync(handle, AuditDecision.Failed, Refusal.ForProviderFailure(e.ReasonCode).Code, segmentation.Segments, CancellationToken.None);
                throw;
            }

            // The same decisions as the send walk: an outcome the provider did not confirm is recorded as such.
            var unknown = sent.Status == MessageStatus.Unknown;
            await audit.CompleteAsync(handle, unknown ? AuditDecision.Pending : AuditDecision.Accepted,
                unknown ? ReasonCodes.ProviderOutcomeUnknown : ReasonCodes.Accepted, segmentation.Segments, CancellationToken.None);
        }
    }
}
