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
    public async Task<IReadOnlyList<ResolvedIncident>> ResolveQuietAsync(IReadOnlySet<string> stillSeen, TimeSpan cooldown, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var resolved = new List<ResolvedIncident>();
        await foreach (var row in store.QueryAllAsync(Table, Partition, null, null, 1000, cancellationToken))
        {
            if (row.Get<string>("State") != Open || stillSeen.Contains(row.RowKey) || row.Get<DateTimeOffset>("LastSeenAt") + cooldown > at)
            {
                continue;
            }

            var changed = new Dictionary<string, object>(row.Properties, StringComparer.Ordinal) { ["State"] = Resolved, ["ResolvedAt"] = at };
            try
            {
                await store.ReplaceAsync(Table, row with { Properties = changed }, row.ETag!, cancellationToken);
                resolved.Add(new ResolvedIncident(row.Get<string>("Rule")!, row.Get<string>("Scope")!, row.Get<string>("CallerId") is { Length: > 0 } c ? c : null,
                    row.Get<bool>("Critical"), row.Get<bool>("Suspended"), row.Get<DateTimeOffset>("OpenedAt")));
            }
            catch (Exception e) when (e is PreconditionFailedException or EntityNotFoundException)
            {
                // Another scan resolved it (or saw it again) first.
            }
        }

        return resolved;
    }
}

/// <summary>An incident a scan just resolved.</summary>
public sealed record ResolvedIncident(string Rule, string Scope, string? CallerId, bool Critical, bool Suspended, DateTimeOffset OpenedAt);
