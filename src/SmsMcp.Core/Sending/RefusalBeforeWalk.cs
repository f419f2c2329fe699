using Microsoft.Extensions.Logging;
using SmsMcp.Core.Callers;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Telemetry;
using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Sending;

/// <summary>
/// Counts a <c>send_sms</c> refused before the send walk ran — for its arguments, its grant, or by the client
/// confirmation — where the walk would have counted it: the watchdog's traffic counters (so the refusal-spike rule
/// sees a model probing whichever guard stops it) and the refusals metric. The audit record is written by the caller.
/// </summary>
public sealed class RefusalBeforeWalk(TrafficCounters traffic, SmsMcpMetrics metrics, TimeProvider time, ILogger<RefusalBeforeWalk> logger)
{
    public async Task CountAsync(CallerIdentity caller, string reasonCode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        metrics.RecordRefusal(caller.Id, reasonCode);
        try
        {
            // Never cancelled, like the audit record: the refusal is decided whether or not the caller still listens.
            await traffic.RecordRefusalAsync(caller.Id, reasonCode, time.GetUtcNow(), CancellationToken.None);
        }
        catch (StorageException e)
        {
            // Nothing is sent on this path, so the refusal stands; the audit trail still holds the attempt.
            logger.LogError(e, "The watchdog counter of a refusal ({ReasonCode}) for caller {CallerId} could not be written.", reasonCode, caller.Id);
        }
    }
}
