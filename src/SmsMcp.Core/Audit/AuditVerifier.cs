using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Audit;

/// <summary>
/// Checks the audit trail against its seals (<see cref="AuditSealer"/>) and names the first record that was edited,
/// deleted, inserted or reordered. Reads storage only; it never repairs anything.
/// </summary>
/// <remarks>
/// <para>Verify a day once it is over: a record sealed just before another of the same writer may still be on its way to
/// storage, and until it lands the later one reads as having a deleted predecessor.</para>
/// <para>The last records of a writer's chain can be removed without a trace in the table (nothing after them links to
/// them). With a head log (<see cref="IAuditHeadLog"/>, filled by <see cref="AuditHeadPublisher"/>) the verifier also
/// checks the published checkpoints — their own chain and seals — and that every published head is still in the
/// trail, which names such a tail deletion. Records newer than the latest published head are counted as not yet
/// covered (<see cref="AuditVerification.Uncovered"/>): their deletion is not detectable until a head covers them.</para>
/// </remarks>
public sealed class AuditVerifier(ITableStore store, AuditSealer sealer, IAuditHeadLog? headLog = null)
{
    private const int PageSize = 1000;

    /// <summary>Verifies one UTC day.</summary>
    public Task<AuditVerification> VerifyAsync(DateOnly day, CancellationToken cancellationToken) =>
        VerifyAsync(day, day, cancellationToken);

    /// <summary>Verifies the UTC days from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public async Task<AuditVerification> VerifyAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        var problems = new List<AuditProblem>();
        var pending = new List<string>();
        int records = 0, completed = 0, chains = 0, uncovered = 0;
        var heads = headLog is null ? null : await AuditHeadCheck.ReadAsync(headLog, sealer, first, last, cancellationToken);
        if (heads is not null)
        {
            problems.AddRange(heads.Problems);
        }

        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var entities = await ReadPartitionAsync(AuditLog.PartitionOf(day), cancellationToken);
            records += entities.Count;
            foreach (var entity in entities)
            {
                if (entity.Get<string>("Stage") == nameof(AuditStage.Attempt))
                {
                    pending.Add(entity.RowKey);
                }
                else
                {
                    completed++;
                }
            }

            var dayProblems = new List<AuditProblem>();
            var links = CheckSeals(day, entities, dayProblems);
            chains += links.Select(l => l.Link.Writer).Distinct(StringComparer.Ordinal).Count();
            CheckChains(day, links, dayProblems);
            uncovered += heads is null ? links.Count : heads.CheckDay(day, links, dayProblems);

            problems.AddRange(dayProblems.OrderBy(p => p.RecordId, StringComparer.Ordinal));
        }

        return new AuditVerification
        {
            Problems = problems,
            Records = records,
            Completed = completed,
            Pending = pending,
            Chains = chains,
            HeadsChecked = heads?.Checkpoints.Count,
            LatestHead = heads is { Checkpoints.Count: > 0 } ? heads.Checkpoints[^1] : null,
            Uncovered = uncovered,
        };
    }

    private async Task<List<TableEntity>> ReadPartitionAsync(string partition, CancellationToken cancellationToken)
    {
        var entities = new List<TableEntity>();
        await foreach (var entity in store.QueryAllAsync(AuditLog.Table, partition, AuditLog.RecordRowKeyFrom, AuditLog.RecordRowKeyTo, PageSize, cancellationToken))
        {
            entities.Add(entity);
        }

        return entities;
    }

    /// <summary>Checks each record's seals; returns the chain links whose attempt seal value is genuine.</summary>
    private List<(string RowKey, AuditChainLink Link)> CheckSeals(DateOnly day, List<TableEntity> entities, List<AuditProblem> problems)
    {
        var read = entities.Select(e => (Entity: e, Link: ReadLink(e))).ToList();
        var sealedHere = read.Select(r => r.Link is { } link
            && AuditSealer.Matches(link.Seal, sealer.AttemptSeal(r.Entity.PartitionKey, r.Entity.RowKey, link, r.Entity.Properties))).ToList();
        var genuinePlaces = read.Where((_, i) => sealedHere[i])
            .GroupBy(r => (r.Link!.Writer, r.Link.Sequence))
            .ToDictionary(g => g.Key, g => g.First().Entity.RowKey);

        var byTicks = entities.ToLookup(e => e.RowKey[..Math.Min(e.RowKey.Length, AuditLog.TicksPrefixLength)], StringComparer.Ordinal);
        var links = new List<(string, AuditChainLink)>();
        for (var i = 0; i < read.Count; i++)
        {
            var (entity, link) = read[i];
            if (link is null)
            {
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Inserted, "The record carries no seal: it was not written by the audit log."));
                continue;
            }

            var outcomeOk = AuditSealer.Matches(entity.Get<string>(AuditSealer.OutcomeSealProperty), sealer.OutcomeSeal(link.Seal, entity.Properties));
            if (sealedHere[i])
            {
                if (!outcomeOk)
                {
                    problems.Add(new(day, entity.RowKey, AuditProblemKind.Edited,
                        "An outcome field (stage, decision, reason code, segments or completion time) differs from what was written."));
                }

                links.Add((entity.RowKey, link));
                continue;
            }

            // Checked before "edited": genuine content under the wrong row key is what a swap or a move produces. A record's
            // id starts with the ticks of its sealed time, so only ids with that prefix can be its home: one seal check per
            // candidate, not per record of the day, so a mass-tampered day cannot make verification quadratic.
            var home = (entity.Properties.TryGetValue("Time", out var time) && time is DateTimeOffset at ? byTicks[AuditLog.TicksPrefix(at)] : [])
                .FirstOrDefault(other => other.RowKey != entity.RowKey
                    && AuditSealer.Matches(link.Seal, sealer.AttemptSeal(entity.PartitionKey, other.RowKey, link, entity.Properties)));
            if (home is not null && genuinePlaces.ContainsKey((link.Writer, link.Sequence)))
            {
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Inserted, $"The record is a copy of record {home.RowKey}."));
            }
            else if (home is not null)
            {
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Reordered,
                    $"The record's content was written as record {home.RowKey}; records were moved or swapped."));
                links.Add((entity.RowKey, link));
            }
            else if (outcomeOk && genuinePlaces.TryGetValue((link.Writer, link.Sequence), out var owner))
            {
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Inserted, $"The record reuses the seal of record {owner}."));
            }
            else if (outcomeOk)
            {
                // The outcome seal vouches for the stored attempt seal, so the seal is genuine and the content is not.
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Edited,
                    "A sealed field (time, caller, tool, recipient, body hash or length, message id, policy version, chain link or row key) differs from what was written."));
                links.Add((entity.RowKey, link));
            }
            else
            {
                problems.Add(new(day, entity.RowKey, AuditProblemKind.Inserted,
                    "No seal of this record verifies: it was forged, or sealed with another key."));
            }
        }

        return links;
    }

    internal static AuditChainLink? ReadLink(TableEntity entity) =>
        entity.Get<string>(AuditSealer.WriterProperty) is { } writer
        && entity.Properties.TryGetValue(AuditSealer.SequenceProperty, out var value) && value is long sequence
        && entity.Get<string>(AuditSealer.PreviousProperty) is { } previous
        && entity.Get<string>(AuditSealer.SealProperty) is { } seal
        && entity.Get<string>(AuditSealer.OutcomeSealProperty) is not null
            ? new AuditChainLink(writer, sequence, previous) { Seal = seal }
            : null;

    /// <summary>Walks each writer's chain in sequence order: a gap or a broken predecessor link is a deletion.</summary>
    private static void CheckChains(DateOnly day, List<(string RowKey, AuditChainLink Link)> links, List<AuditProblem> problems)
    {
        foreach (var chain in links.GroupBy(l => l.Link.Writer, StringComparer.Ordinal))
        {
            long expected = 1;
            var previous = "";
            foreach (var (rowKey, link) in chain.OrderBy(l => l.Link.Sequence))
            {
                if (link.Sequence < expected)
                {
                    problems.Add(new(day, rowKey, AuditProblemKind.Inserted,
                        $"A second record claims place {link.Sequence} in writer {link.Writer}'s chain."));
                    continue;
                }

                if (link.Sequence != expected || link.Previous != previous)
                {
                    var missing = link.Sequence == expected ? "its predecessor was replaced" : $"place {expected} to {link.Sequence - 1} missing";
                    problems.Add(new(day, rowKey, AuditProblemKind.Deleted,
                        $"Records before this one in writer {link.Writer}'s chain were deleted ({missing})."));
                }

                expected = link.Sequence + 1;
                previous = link.Seal;
            }
        }
    }
}
