using System.Diagnostics.Metrics;
using SmsMcp.Core.Messages;
using SmsMcp.Core.Outcomes;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Telemetry;

/// <summary>
/// The domain's metrics (meter <see cref="MeterName"/>), which the operations workbook charts: sends, refusals by
/// reason code, estimated spend, caller suspensions. Each is counted where it is decided: the send walk's end
/// (<c>SendPipeline.SendAsync</c>), the refusals recorded before the walk (<c>RefusalBeforeWalk</c>) and the kill
/// switch (<c>RuntimeControls.SetKillSwitchAsync</c>).
/// Tags carry only values the server or the policy defines (reason codes, the policy's caller ids, the policy
/// currency); never a number, a body or other caller-supplied text, so the metric store holds nothing a log may not.
/// </summary>
public sealed class SmsMcpMetrics
{
    public const string MeterName = "SmsMcp.Core";

    public const string Sends = "smsmcp.sends";
    public const string Refusals = "smsmcp.refusals";
    public const string Spend = "smsmcp.spend";
    public const string Suspensions = "smsmcp.suspensions";

    /// <summary>The <c>caller_id</c> tag of a caller the policy does not name (its id is caller-supplied text).</summary>
    public const string UnlistedCaller = "unlisted";

    /// <summary>The <c>caller_id</c> tag of the global kill switch.</summary>
    public const string AllCallers = "all";

    private readonly SendPolicy _policy;
    private readonly Counter<long> _sends;
    private readonly Counter<long> _refusals;
    private readonly Counter<double> _spend;
    private readonly Counter<long> _suspensions;

    public SmsMcpMetrics(IMeterFactory meters, SendPolicy policy)
    {
        _policy = policy;
        var meter = meters.Create(MeterName);
        _sends = meter.CreateCounter<long>(Sends, description: "Messages handed to the provider (accepted, or outcome unknown).");
        _refusals = meter.CreateCounter<long>(Refusals, description: "Send attempts refused, by reason code.");
        _spend = meter.CreateCounter<double>(Spend, unit: policy.Pricing.Currency, description: "Estimated cost of the messages handed to the provider, in the policy currency.");
        _suspensions = meter.CreateCounter<long>(Suspensions, description: "Kill switches engaged, by the watchdog or an operator.");
    }

    /// <summary>
    /// Counts one finished send walk. A dry run, an idempotent replay and a request held for approval sent nothing, so
    /// they count as neither a send nor a refusal.
    /// </summary>
    public void RecordSend(string callerId, SendEvaluation evaluation, SendOutcome outcome)
    {
        var caller = new KeyValuePair<string, object?>("caller_id", CallerTag(callerId));
        if (outcome.Refusal is { } refusal)
        {
            _refusals.Add(1, caller, new("reason_code", refusal.Code));
            return;
        }

        if (outcome.Result is not { DryRun: false, Replayed: false } result || result.Status == MessageStatus.PendingApproval)
        {
            return;
        }

        _sends.Add(1, caller);
        if (evaluation.Recipient is { } recipient && _policy.Pricing.Estimate(recipient.Number.Region, result.Segments) is { } cost)
        {
            _spend.Add((double)cost.Amount, caller, new("currency", cost.Currency));
        }
    }

    /// <summary>Counts one <c>send_sms</c> refused before the send walk ran (arguments, grant, client confirmation).</summary>
    public void RecordRefusal(string callerId, string reasonCode) =>
        _refusals.Add(1, new("caller_id", CallerTag(callerId)), new("reason_code", reasonCode));

    /// <summary>Counts one engaged kill switch: global (<paramref name="callerId"/> null) or one caller's.</summary>
    public void RecordSuspension(string? callerId, string changedBy) =>
        _suspensions.Add(1,
            new("caller_id", callerId is null ? AllCallers : CallerTag(callerId)),
            new("source", changedBy == Actors.Watchdog ? Actors.Watchdog : "operator"));

    private string CallerTag(string callerId) => _policy.ProfileFor(callerId) is null ? UnlistedCaller : callerId;
}
