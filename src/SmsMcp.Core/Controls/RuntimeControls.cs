using SmsMcp.Core.Audit;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Telemetry;

namespace SmsMcp.Core.Controls;

/// <summary>
/// Runtime controls kept in the table store, read on every send so a change takes effect on the next request on
/// every instance: the kill switch and dry-run mode, each global and per caller. Every change writes an audit record.
/// </summary>
/// <remarks>
/// Layout: one partition (<see cref="Partition"/>), one row per subject (<c>global</c>, <c>caller:&lt;id&gt;</c>) holding
/// both controls, so a send learns everything with one partition query instead of four point reads. The partition
/// grows only with the callers an operator ever set a control for; each 1,000 of them cost a send one more request.
/// </remarks>
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

    /// <summary>Every control of every subject lives in this one partition, so a send reads all it needs in one query.</summary>
    internal const string Partition = "switches";

    /// <summary>The partitions of the layout before issue 16 (one per control), moved into <see cref="Partition"/> at start.</summary>
    internal static readonly string[] LegacyPartitions = [KillControl, DryRunControl];

    private const string KillControl = "kill";
    private const string DryRunControl = "dryrun";
    private const string GlobalRow = "global";

    // A query page: one request answers a send for up to this many subjects with a stored control.
    private const int PageSize = 1000;
    private const int MaxAttempts = 16;

    /// <summary>
    /// Engages or releases the kill switch for everyone (<paramref name="callerId"/> null) or for one caller, and
    /// audits the change as made by <paramref name="changedBy"/>. The audit record is written first: a change that
    /// cannot be audited is not made.
    /// </summary>
    public async Task SetKillSwitchAsync(string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken)
    {
        await SetAsync(KillControl, KillSwitchTool, engaged ? KillSwitchEngaged : KillSwitchReleased, callerId, engaged, changedBy, cancellationToken);
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
        SetAsync(DryRunControl, DryRunTool, engaged ? DryRunEngaged : DryRunReleased, callerId, engaged, changedBy, cancellationToken);

    /// <summary>
    /// The stored state of the global (<paramref name="callerId"/> null) or one caller's kill switch; never set
    /// reads as released. Throws <see cref="StorageException"/> when the store cannot answer.
    /// </summary>
    public Task<ControlState> GetKillSwitchAsync(string? callerId, CancellationToken cancellationToken) =>
        GetAsync(KillControl, callerId, cancellationToken);

    /// <summary>The stored state of the global or one caller's dry-run mode, like <see cref="GetKillSwitchAsync"/>.</summary>
    public Task<ControlState> GetDryRunAsync(string? callerId, CancellationToken cancellationToken) =>
        GetAsync(DryRunControl, callerId, cancellationToken);

    /// <summary>
    /// True when the global or <paramref name="callerId"/>'s kill switch is engaged. Throws
    /// <see cref="StorageException"/> when the store cannot answer: callers must then not send.
    /// </summary>
    public async Task<bool> IsSendingDisabledAsync(string callerId, CancellationToken cancellationToken) =>
        (await ReadForSendAsync(callerId, cancellationToken)).SendingDisabled;

    /// <summary>
    /// True when dry-run mode is on globally or for <paramref name="callerId"/>. Throws <see cref="StorageException"/>
    /// when the store cannot answer: callers must then not send.
    /// </summary>
    public async Task<bool> IsDryRunAsync(string callerId, CancellationToken cancellationToken) =>
        (await ReadForSendAsync(callerId, cancellationToken)).DryRun;

    /// <summary>
    /// Both controls that apply to a send by <paramref name="callerId"/> (global or the caller's own), in one partition
    /// query: nothing is cached, so a change takes effect on the next send on every instance. Throws
    /// <see cref="StorageException"/> when the store cannot answer: callers must then not send.
    /// </summary>
    public async Task<SendControls> ReadForSendAsync(string callerId, CancellationToken cancellationToken)
    {
        bool disabled = false, dryRun = false;
        var callerRow = CallerRow(callerId);
        await foreach (var row in store.QueryAllAsync(Table, Partition, null, null, PageSize, cancellationToken))
        {
            if (row.RowKey is GlobalRow || row.RowKey == callerRow)
            {
                disabled |= row.Get<bool>(KillControl + EngagedSuffix);
                dryRun |= row.Get<bool>(DryRunControl + EngagedSuffix);
            }
        }

        return new SendControls(disabled, dryRun);
    }

    /// <summary>
    /// Moves controls stored in the layout before issue 16 (partitions <c>kill</c> and <c>dryrun</c>, one row per subject)
    /// into <see cref="Partition"/>, where sends read them; a subject's control already set in the new layout is newer
    /// and wins. Idempotent and safe to run on several instances at once; runs at start (<see cref="ControlsLayoutMigration"/>).
    /// </summary>
    public async Task MigrateLegacyLayoutAsync(CancellationToken cancellationToken)
    {
        foreach (var control in LegacyPartitions)
        {
            var legacy = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var row in store.QueryAllAsync(Table, control, null, null, PageSize, cancellationToken))
            {
                legacy[row.RowKey] = row;
            }

            if (legacy.Count == 0)
            {
                continue;
            }

            // A move cannot be one transaction: the old rows (partition "kill" or "dryrun") and the new ones ("switches")
            // are in different partitions. So the new rows are written first and the old ones deleted after; a start
            // that stops in between leaves both, and the next one finishes (the new row, already set, wins). Each side
            // is one partition and goes out as one entity group transaction: every subject of a control moves together.
            await OptimisticUpdate.ApplyToPartitionAsync(store, Table, Partition, legacy.Keys, known: null, (rowKey, current) =>
            {
                var row = legacy[rowKey];
                return current?.Properties.ContainsKey(control + EngagedSuffix) == true
                    ? null
                    : With(current, control, row.Get<bool>("Engaged"), row.Get<string>("ChangedBy") ?? "", row.Get<DateTimeOffset>("ChangedAt"));
            }, MaxAttempts, cancellationToken);
            await DeleteLegacyAsync(control, legacy.Keys, cancellationToken);
        }
    }

    /// <summary>Deletes moved rows of a legacy partition, in one transaction per 100 rows when no other instance is deleting them too.</summary>
    private async Task DeleteLegacyAsync(string control, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(TableStoreRules.MaxTransactionWrites))
        {
            try
            {
                await store.SubmitTransactionAsync(Table, [.. chunk.Select(row => TableWrite.Delete(control, row, "*"))], cancellationToken);
                continue;
            }
            catch (EntityNotFoundException)
            {
                // Another instance migrated some of them first: delete the rest one by one.
            }

            foreach (var row in chunk)
            {
                try
                {
                    await store.DeleteAsync(Table, control, row, "*", cancellationToken);
                }
                catch (EntityNotFoundException)
                {
                    // Another instance migrated it first.
                }
            }
        }
    }

    private const string EngagedSuffix = "Engaged";
    private const string ChangedBySuffix = "ChangedBy";
    private const string ChangedAtSuffix = "ChangedAt";

    // "caller:" keeps a caller named "global" apart from the global switch.
    private static string CallerRow(string callerId) => "caller:" + callerId;

    private static string RowOf(string? callerId) => callerId is null ? GlobalRow : CallerRow(callerId);

    private static Dictionary<string, object> With(TableEntity? current, string control, bool engaged, string changedBy, DateTimeOffset changedAt) =>
        new(current?.Properties ?? new Dictionary<string, object>(), StringComparer.Ordinal)
        {
            [control + EngagedSuffix] = engaged,
            [control + ChangedBySuffix] = changedBy,
            [control + ChangedAtSuffix] = changedAt,
        };

    private async Task SetAsync(string control, string tool, string reasonCode, string? callerId, bool engaged, string changedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = RowOf(callerId);
        // Audited first, then changed: the audit record (Audit, partition = UTC day) and the control (Controls, "switches")
        // are in two tables, so no transaction can make them one write; the order makes an unaudited change impossible.
        await audit.RecordAsync(OperatorAudit.Change(now, changedBy, tool, reasonCode, row), cancellationToken);

        // One row holds both controls of a subject: change this one, keep the other as stored.
        await OptimisticUpdate.ApplyAsync(store, Table, Partition, row, current => With(current, control, engaged, changedBy, now), MaxAttempts, cancellationToken);
    }

    private async Task<ControlState> GetAsync(string control, string? callerId, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, Partition, RowOf(callerId), cancellationToken);
        return entity is null || !entity.Properties.ContainsKey(control + EngagedSuffix)
            ? ControlState.NeverSet
            : new ControlState(entity.Get<bool>(control + EngagedSuffix), entity.Get<string>(control + ChangedBySuffix), entity.Get<DateTimeOffset>(control + ChangedAtSuffix));
    }
}
