using SmsMcp.Core.Storage;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Watchdog;

/// <summary>
/// Open and resolved incidents, one row per dedupe key (rule + scope). Every state change is an insert-if-absent or a
/// replace-if-match, so when several scans (two instances, a retry) see the same thing, exactly one of them wins the
/// change and sends its notice; the others see it done. An incident resolves once its condition has stayed away for
/// the cooldown, so a flapping condition makes one alert and one resolution notice, not a stream of them.
/// </summary>
public sealed class IncidentStore(ITableStore store)
{
    public const string Table = "WatchdogIncidents";
    private const string Partition = "incident";
    private const string Open = "open";
    private const string Resolved = "resolved";

    // Each conflict means another scan changed an incident first; a few scans at once need a few attempts.
    private const int MaxAttempts = 16;

    /// <summary>
    /// Records that <paramref name="finding"/> was seen at <paramref name="at"/>. Returns when the incident opened (this
    /// call opened it, and must notify), or null when it was already open (or another scan opened it first).
    /// </summary>
    public async Task<DateTimeOffset?> SeenAsync(Finding finding, bool critical, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(Table, Partition, finding.Key, cancellationToken);
        var opened = new TableEntity(Partition, finding.Key, new Dictionary<string, object>
        {
            ["State"] = Open,
            ["Rule"] = finding.Rule,
            ["Scope"] = finding.Scope,
            ["CallerId"] = finding.CallerId ?? "",
            ["Critical"] = critical,
            // A critical finding about a caller suspends it; kept so the resolution notice can say it stays suspended.
            ["Suspended"] = critical && finding.CallerId is not null,
            ["OpenedAt"] = at,
            ["LastSeenAt"] = at,
        });
        try
        {
            if (current is null)
            {
                await store.InsertAsync(Table, opened, cancellationToken);
                return at;
            }

            if (current.Get<string>("State") == Resolved)
            {
                await store.ReplaceAsync(Table, opened, current.ETag!, cancellationToken);
                return at;
            }

            if (current.Get<DateTimeOffset>("LastSeenAt") < at)
            {
                var seen = new Dictionary<string, object>(current.Properties, StringComparer.Ordinal) { ["LastSeenAt"] = at };
                await store.ReplaceAsync(Table, current with { Properties = seen }, current.ETag!, cancellationToken);
            }
        }
        catch (Exception e) when (e is EntityAlreadyExistsException or PreconditionFailedException or EntityNotFoundException)
        {
            // Another scan changed it first: it owns the notice.
        }

        return null;
    }

    /// <summary>
    /// Forgets an incident this scan opened but could not act on (the suspension or the alert failed), so the next scan
    /// opens it again instead of finding it already open and staying silent. Never throws for storage.
    /// </summary>
    public async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(Table, Partition, key, "*", cancellationToken);
        }
        catch (StorageException)
        {
            // Left open: an operator still sees it in the table; the failure itself was logged by the caller.
        }
    }

    /// <summary>
    /// Resolves every open incident not in <paramref name="stillSeen"/> whose condition was last seen at least
    /// <paramref name="cooldown"/> before <paramref name="at"/>; returns the ones this call resolved (it must notify).
    /// </summary>
    /// <remarks>
    /// Every incident lives in one partition, so the scan's resolutions are one entity group transaction (per 100), each
    /// write a replace-if-match on the ETag the query read. When another scan changed one first (resolved it, or saw it
    /// again), nothing of the transaction is written; that incident is read again and decided again (now resolved or no
    /// longer quiet: left out), and the rest go out again, so each resolution still has exactly one winner.
    /// </remarks>
    public async Task<IReadOnlyList<ResolvedIncident>> ResolveQuietAsync(IReadOnlySet<string> stillSeen, TimeSpan cooldown, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var quiet = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(Table, Partition, null, null, 1000, cancellationToken))
        {
            if (IsQuiet(row, stillSeen, cooldown, at))
            {
                quiet[row.RowKey] = row;
            }
        }

        if (quiet.Count == 0)
        {
            return [];
        }

        var written = await OptimisticUpdate.ApplyToPartitionAsync(store, Table, Partition, quiet.Keys, quiet, (_, current) =>
            current is not null && IsQuiet(current, stillSeen, cooldown, at)
                ? new Dictionary<string, object>(current.Properties, StringComparer.Ordinal) { ["State"] = Resolved, ["ResolvedAt"] = at }
                : null,
            MaxAttempts, cancellationToken);
        return [.. written.Select(row => new ResolvedIncident(row.Get<string>("Rule")!, row.Get<string>("Scope")!, row.Get<string>("CallerId") is { Length: > 0 } c ? c : null,
            row.Get<bool>("Critical"), row.Get<bool>("Suspended"), row.Get<DateTimeOffset>("OpenedAt")))];
    }

    private static bool IsQuiet(TableEntity row, IReadOnlySet<string> stillSeen, TimeSpan cooldown, DateTimeOffset at) =>
        row.Get<string>("State") == Open && !stillSeen.Contains(row.RowKey) && row.Get<DateTimeOffset>("LastSeenAt") + cooldown <= at;
}

/// <summary>An incident a scan just resolved.</summary>
public sealed record ResolvedIncident(string Rule, string Scope, string? CallerId, bool Critical, bool Suspended, DateTimeOffset OpenedAt);
