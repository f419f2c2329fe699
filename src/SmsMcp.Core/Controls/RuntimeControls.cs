using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Telemetry;

namespace SmsMcp.Core.Controls;

/// <summary>
/// Runtime controls kept in the table store, read on every send so a change takes effect on the next request on
/// every instance: the kill switch and dry-run mode, each global and per caller. Every change writes an audit record.
/// </summary>
public sealed class RuntimeControls(ITableStore store, AuditLog audit, SmsMcpMetrics metrics, TimeProvider time)
{
    public const string Table = "Controls";

    /// <summary>Tool name of the audit records that kill-switch changes write.</summary>
    public const string KillSwitchTool = "admin:kill_switch";

    public const string KillSwitchEngaged = "kill_switch_engaged";
    public const string KillSwitchReleased = "kill_switch_released";

    /// <summary>Tool name of the audit records that dry-run changes write.</summary>
    public const string DryRunTool = "admin:dry_run";

    public const string DryRunEngaged = "dry_run_engaged";
    public const string DryRunReleased = "dry_run_released";

    private const string KillPartition = "kill";
    private const string DryRunPartition = "dryrun";
    private const string GlobalRow = "global";

    /// <summary>
    /// Engages or releases the kill switch for everyone (<paramref name="callerId"/> null) or for one caller, and
    /// audits the change as made by <paramref name="changedBy"/>. The audit record is written first: a change that
    /// cannot be audited is not made.
    /// </summary>
    public async Task SetKillSwitchAsync(string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken)
    {
        await SetAsync(KillPartition, KillSwitchTool, engaged ? KillSwitchEngaged : KillSwitchReleased, callerId, engaged, changedBy, cancellationToken);
        if (engaged)
        {
            // Counted once stored: a change that failed suspended no one.
            metrics.RecordSuspension(callerId, changedBy);
        }
    }

    /// <summary>
    /// Turns dry-run mode on or off for everyone (<paramref name="callerId"/> null) or for one caller: sends are
    /// evaluated and audited but nothing goes to the provider. Audited first, like <see cref="SetKillSwitchAsync"/>.
    /// </summary>
    public Task SetDryRunAsync(string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken) =>
        SetAsync(DryRunPartition, DryRunTool, engaged ? DryRunEngaged : DryRunReleased, callerId, engaged, changedBy, cancellationToken);

    /// <summary>
    /// The stored state of the global (<paramref name="callerId"/> null) or one caller's kill switch; never set
    /// reads as released. Throws <see cref="StorageException"/> when the store cannot answer.
    /// </summary>
    public Task<ControlState> GetKillSwitchAsync(string? callerId, CancellationToken cancellationToken) =>
        GetAsync(KillPartition, callerId, cancellationToken);

    /// <summary>The stored state of the global or one caller's dry-run mode, like <see cref="GetKillSwitchAsync"/>.</summary>
    public Task<ControlState> GetDryRunAsync(string? callerId, CancellationToken cancellationToken) =>
        GetAsync(DryRunPartition, callerId, cancellationToken);

    /// <summary>
    /// True when the global or <paramref name="callerId"/>'s kill switch is engaged. Throws
    /// <see cref="StorageException"/> when the store cannot answer: callers must then not send.
    /// </summary>
    public Task<bool> IsSendingDisabledAsync(string callerId, CancellationToken cancellationToken) =>
        IsEngagedAsync(KillPartition, callerId, cancellationToken);

    /// <summary>
    /// True when dry-run mode is on globally or for <paramref name="callerId"/>. Throws <see cref="StorageException"/>
    /// when the store cannot answer: callers must then not send.
    /// </summary>
    public Task<bool> IsDryRunAsync(string callerId, CancellationToken cancellationToken) =>
        IsEngagedAsync(DryRunPartition, callerId, cancellationToken);

    // "caller:" keeps a caller named "global" apart from the global switch.
    private static string CallerRow(string callerId) => "caller:" + callerId;

    private static string RowOf(string? callerId) => callerId is null ? GlobalRow : CallerRow(callerId);

    private async Task SetAsync(string partition, string tool, string reasonCode, string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = RowOf(callerId);
        await audit.RecordAsync(OperatorAudit.Change(now, changedBy, tool, reasonCode, row), cancellationToken);
        await store.UpsertAsync(Table, new TableEntity(partition, row, new Dictionary<string, object>
        {
            ["Engaged"] = engaged,
            ["ChangedBy"] = changedBy,
            ["ChangedAt"] = now,
        }), cancellationToken);
    }

    private async Task<ControlState> GetAsync(string partition, string? callerId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, partition, RowOf(callerId), cancellationToken);
        return entity is null
            ? ControlState.NeverSet
            : new ControlState(entity.Get<bool>("Engaged"), entity.Get<string>("ChangedBy"), entity.Get<DateTimeOffset>("ChangedAt"));
    }

    // Global and caller rows are read together: these reads sit on every send and preview, and on Table Storage
    // each is a round trip. Either read failing throws, so the send is refused.
    private async Task<bool> IsEngagedAsync(string partition, string callerId, CancellationToken cancellationToken)
    {
        var rows = await Task.WhenAll(
            store.GetAsync(Table, partition, GlobalRow, cancellationToken),
            store.GetAsync(Table, partition, CallerRow(callerId), cancellationToken));
        return rows.Any(row => row?.Get<bool>("Engaged") == true);
    }
}
