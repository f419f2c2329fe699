using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Audit;

/// <summary>
/// Publishes the audit trail's chain heads (<see cref="AuditHeadCheckpoint"/>) to the head log, so that deleting the
/// newest records of a chain — which the chain itself cannot show, nothing links to them — is named by
/// <see cref="AuditVerifier"/>. Run by the <c>audit-heads</c> scheduled job, once per period across all instances.
/// </summary>
/// <remarks>
/// <para>Writers keep their chain heads in memory, so the publisher reads them back from storage: for each day it
/// publishes, the last record of every writer whose attempt seal verifies (a forged record cannot become a head).
/// What is deleted between a record's write and the next publication is therefore not covered; the verifier counts
/// records newer than the latest head as "not yet covered".</para>
/// <para>Each run looks at today and, during the first hour after midnight UTC, yesterday (records taken just before
/// midnight can land just after it). A checkpoint is published for a day whose heads changed, and one for today on the
/// first run of each publication day even when nothing changed, so the log's chain continues from one page to the
/// next and the previous checkpoint is always found on today's or yesterday's page.</para>
/// </remarks>
public sealed class AuditHeadPublisher(ITableStore store, AuditSealer sealer, IAuditHeadLog log, TimeProvider time)
{
    private const int PageSize = 1000;

    // How far back a run looks for the previous checkpoint when the publisher has not run for a while.
    private const int LookBackDays = 7;

    private static readonly TimeSpan YesterdayWindow = TimeSpan.FromHours(1);

    /// <summary>Publishes what changed; returns the checkpoints written (empty when nothing changed).</summary>
    public async Task<IReadOnlyList<AuditHeadCheckpoint>> PublishAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var todayPage = await log.ReadAsync(today, cancellationToken);
        var yesterdayPage = await log.ReadAsync(today.AddDays(-1), cancellationToken);
        var known = Parse(yesterdayPage).Concat(Parse(todayPage)).ToList();
        var last = known.LastOrDefault() ?? await FindEarlierAsync(today.AddDays(-2), cancellationToken);

        var days = now - now.UtcDateTime.Date < YesterdayWindow ? new[] { today.AddDays(-1), today } : [today];
        var published = new List<AuditHeadCheckpoint>();
        var version = todayPage.Version;
        foreach (var day in days)
        {
            var heads = await ReadHeadsAsync(store, sealer, day, cancellationToken);
            var previousForDay = known.LastOrDefault(c => c.Day == day);
            var unchanged = previousForDay is not null ? SameHeads(previousForDay.Heads, heads) : heads.Count == 0;
            var firstToday = day == today && todayPage.Lines.Count == 0 && published.Count == 0;
            if (unchanged && !firstToday)
            {
                continue;
            }

            var checkpoint = new AuditHeadCheckpoint((last?.Sequence ?? 0) + 1, last?.Seal ?? "", now, day, heads);
            checkpoint = checkpoint with { Seal = sealer.HeadSeal(checkpoint) };
            version = await log.AppendAsync(today, checkpoint.ToJsonLine(), version, cancellationToken);
            published.Add(checkpoint);
            last = checkpoint;
        }

        return published;
    }

    /// <summary>One line for the job's log (the log event is a second, independent witness of each published head).</summary>
    public static string Describe(IReadOnlyList<AuditHeadCheckpoint> published) =>
        published.Count == 0
            ? "Audit heads: nothing changed, nothing published."
            : "Audit heads published: " + string.Join("; ", published.Select(c =>
                $"{c.Name} for {c.Day:yyyy-MM-dd} ({c.Heads.Count} writers, {c.Heads.Sum(h => h.Count).ToString(CultureInfo.InvariantCulture)} records, seal {c.Seal})"));

    /// <summary>
    /// The last record of every writer's chain of <paramref name="day"/> whose attempt seal verifies where it is
    /// stored, ordered by writer.
    /// </summary>
    internal static async Task<List<AuditChainHead>> ReadHeadsAsync(ITableStore store, AuditSealer sealer, DateOnly day, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, AuditChainHead>(StringComparer.Ordinal);
        await foreach (var entity in store.QueryAllAsync(AuditLog.Table, AuditLog.PartitionOf(day), AuditLog.RecordRowKeyFrom, AuditLog.RecordRowKeyTo, PageSize, cancellationToken))
        {
            if (AuditVerifier.ReadLink(entity) is not { } link
                || !AuditSealer.Matches(link.Seal, sealer.AttemptSeal(entity.PartitionKey, entity.RowKey, link, entity.Properties)))
            {
                continue;
            }

            if (!heads.TryGetValue(link.Writer, out var head) || head.Count < link.Sequence)
            {
                heads[link.Writer] = new AuditChainHead(link.Writer, link.Sequence, entity.RowKey, link.Seal);
            }
        }

        return [.. heads.Values.OrderBy(h => h.Writer, StringComparer.Ordinal)];
    }

    private async Task<AuditHeadCheckpoint?> FindEarlierAsync(DateOnly from, CancellationToken cancellationToken)
    {
        for (var day = from; day > from.AddDays(-LookBackDays); day = day.AddDays(-1))
        {
            if (Parse(await log.ReadAsync(day, cancellationToken)).LastOrDefault() is { } last)
            {
                return last;
            }
        }

        return null;
    }

    // A line that does not parse is skipped here (the verifier names it); the chain continues from the last good one.
    private static IEnumerable<AuditHeadCheckpoint> Parse(AuditHeadLogPage page) =>
        page.Lines.Select(AuditHeadCheckpoint.TryParse).OfType<AuditHeadCheckpoint>();

    private static bool SameHeads(IReadOnlyList<AuditChainHead> a, IReadOnlyList<AuditChainHead> b) => a.SequenceEqual(b);
}
