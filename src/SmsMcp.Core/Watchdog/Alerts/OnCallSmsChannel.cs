using SmsMcp.Core.Content;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;

namespace SmsMcp.Core.Watchdog.Alerts;

/// <summary>
/// Texts each alert's headline to the on-call aliases of the policy (<c>watchdog.onCall.aliases</c>) straight through the
/// provider, outside the send walk and every caller's quota, under its own daily budget
/// (<c>watchdog.onCall.maxPerDay</c>): an alert storm cannot become an SMS bill. The headline holds no number or body.
/// </summary>
public sealed class OnCallSmsChannel(SendPolicy policy, ISmsProvider provider, WatchdogState state, TimeProvider time) : IAlertChannel
{
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

            await provider.SendAsync(new ProviderMessage(MessageStore.NewMessageId(), policy.Recipients[alias].Number, text, segmentation), cancellationToken);
        }
    }
}
