using Microsoft.Extensions.Logging;
using SmsMcp.Core.Controls;
using SmsMcp.Core.Storage;
using SmsMcp.Core.Vocabulary;
using SmsMcp.Core.Watchdog.Alerts;
using SmsMcp.Core.Watchdog.Detectors;

namespace SmsMcp.Core.Watchdog;

/// <summary>
/// The watch walk: counters → detectors → incidents (dedupe, cooldown) → auto-suspend → alerts. The scan that wins an
/// incident's insert-if-absent (or replace-if-match) is the only one that suspends and notifies, so two scans of one
/// period make one set of alerts. A critical finding about a caller engages that caller's kill switch, audited as
/// <see cref="Actor"/>, before the alert goes out (the alert says so); only an operator releases it.
/// </summary>
public sealed class AnomalyScan(
    ScanReader reader,
    IEnumerable<IDetector> detectors,
    IncidentStore incidents,
    WatchdogState state,
    RuntimeControls controls,
    AlertDispatcher alerts,
    ILogger<AnomalyScan> logger) : IAnomalyScan
{
    /// <summary>Who the audit trail says engaged a kill switch the watchdog engaged.</summary>
    public const string Actor = Actors.Watchdog;

    public async Task<ScanReport> RunAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        try
        {
            var report = await ScanAsync(periodStart, cancellationToken);
            await state.BeatAsync(periodStart, cancellationToken);
            logger.LogInformation("{Report}", report.Describe());
            return report;
        }
        catch (Exception e) when (e is StorageException)
        {
            logger.LogError(e, "Anomaly scan of {PeriodStart} failed; the next scan reports the watchdog as failing.", periodStart);
            await QuietlyAsync(() => state.FailedAsync(CancellationToken.None));
            throw;
        }
    }

    private async Task<ScanReport> ScanAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var snapshot = await reader.ReadAsync(at, cancellationToken);
        var rules = snapshot.Rules;
        var findings = detectors.SelectMany(d => d.Detect(snapshot)).GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var opened = new List<string>();
        var suspended = new List<string>();
        foreach (var finding in findings)
        {
            var critical = rules.Critical.Contains(finding.Rule);
            if (await incidents.SeenAsync(finding, critical, at, cancellationToken) is not { } openedAt)
            {
                continue;
            }

            var suspend = critical && finding.CallerId is not null;
            var alert = new Alert(AlertKind.Opened, finding.Rule, finding.Scope, finding.CallerId, finding.Summary, finding.Facts, critical, suspend, openedAt, at);
            try
            {
                // Incident, suspension and its audit are three tables (WatchdogIncidents, Controls, Audit): no transaction, so a
                // failed suspension forgets the incident below and the next scan tries again.
                if (suspend)
                {
                    // Before the alert: an operator who reads "suspended" must find it so.
                    await controls.SetKillSwitchAsync(finding.CallerId, engaged: true, Actor, CancellationToken.None);
                    suspended.Add(finding.CallerId!);
                }

                await alerts.DispatchAsync(alert, CancellationToken.None);
            }
            catch (StorageException)
            {
                // The suspension could not be audited or stored: let the next scan open the incident (and try) again.
                await incidents.ForgetAsync(finding.Key, CancellationToken.None);
                throw;
            }

            opened.Add(alert.Key);
        }

        var stillSeen = findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var resolved = new List<string>();
        foreach (var incident in await incidents.ResolveQuietAsync(stillSeen, rules.Cooldown, at, cancellationToken))
        {
            var alert = new Alert(AlertKind.Resolved, incident.Rule, incident.Scope, incident.CallerId, "No longer seen.",
                new Dictionary<string, string>(), incident.Critical, incident.Suspended, incident.OpenedAt, at);
            await alerts.DispatchAsync(alert, CancellationToken.None);
            resolved.Add(alert.Key);
        }

        // Learn this hour's regions last, so the first traffic to a region is judged against what came before it.
        // (A learning caller is absent from the snapshot and asked for every scan: a no-op once its regions are stored.)
        var learning = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var (caller, bucket) in snapshot.Hour(snapshot.CurrentHour))
        {
            if (bucket.Countries.Count > 0 && (!snapshot.KnownCountries.TryGetValue(caller, out var known) || !bucket.Countries.Keys.All(known.Contains)))
            {
                learning[caller] = bucket.Countries.Keys;
            }
        }

        await state.LearnCountriesAsync(learning, at, cancellationToken);

        return new ScanReport(at, findings.Count, opened, resolved, suspended);
    }

    private async Task QuietlyAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (StorageException e)
        {
            logger.LogError(e, "The watchdog heartbeat could not be written.");
        }
    }
}
