using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Controls;

/// <summary>
/// Runtime controls kept in the table store, read on every send so a change takes effect on the next request on
/// every instance: the kill switch, global and per caller. Every change writes an audit record.
/// </summary>
public sealed class RuntimeControls(ITableStore store, AuditLog audit, TimeProvider time)
{
    public const string Table = "Controls";

    /// <summary>Tool name of the audit records that changes write.</summary>
    public const string KillSwitchTool = "admin:kill_switch";

    public const string KillSwitchEngaged = "kill_switch_engaged";
    public const string KillSwitchReleased = "kill_switch_released";

    private const string KillPartition = "kill";
    private const string GlobalRow = "global";

    /// <summary>
    /// Engages or releases the kill switch for everyone (<paramref name="callerId"/> null) or for one caller, and
    /// audits the change as made by <paramref name="changedBy"/>. The audit record is written first: a change that
    /// cannot be audited is not made.
    /// </summary>
    public async Task SetKillSwitchAsync(string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await audit.RecordAsync(new AuditRecord
        {
            Id = AuditLog.NewId(now),
            Time = now,
            CallerId = changedBy,
            Tool = KillSwitchTool,
            RecipientRef = null,
            BodyHash = "",
            BodyLength = 0,
            Stage = AuditStage.Completed,
            Decision = AuditDecision.Accepted,
            ReasonCode = engaged ? KillSwitchEngaged : KillSwitchReleased,
            MessageId = callerId is null ? GlobalRow : RowOf(callerId),
        }, cancellationToken);
        await store.UpsertAsync(Table, new TableEntity(KillPartition, callerId is null ? GlobalRow : RowOf(callerId), new Dictionary<string, object>
        {
            ["Engaged"] = engaged,
            ["ChangedBy"] = changedBy,
            ["ChangedAt"] = now,
        }), cancellationToken);
    }

    /// <summary>
    /// The stored state of the global (<paramref name="callerId"/> null) or one caller's kill switch; never set
    /// reads as released. Throws <see cref="StorageException"/> when the store cannot answer.
    /// </summary>
    public async Task<ControlState> GetKillSwitchAsync(string? callerId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, KillPartition, callerId is null ? GlobalRow : RowOf(callerId), cancellationToken);
        return entity is null
            ? ControlState.NeverSet
            : new ControlState(entity.Get<bool>("Engaged"), entity.Get<string>("ChangedBy"), entity.Get<DateTimeOffset>("ChangedAt"));
    }

    /// <summary>
    /// True when the global or <paramref name="callerId"/>'s kill switch is engaged. Throws
    /// <see cref="StorageException"/> when the store cannot answer: callers must then not send.
    /// </summary>
    public async Task<bool> IsSendingDisabledAsync(string callerId, CancellationToken cancellationToken) =>
        await IsEngagedAsync(GlobalRow, cancellationToken) || await IsEngagedAsync(RowOf(callerId), cancellationToken);

    // "caller:" keeps a caller named "global" apart from the global switch.
    private static string RowOf(string callerId) => "caller:" + callerId;

    private async Task<bool> IsEngagedAsync(string row, CancellationToken cancellationToken) =>
        (await store.GetAsync(Table, KillPartition, row, cancellationToken))?.Get<bool>("Engaged") == true;
}
