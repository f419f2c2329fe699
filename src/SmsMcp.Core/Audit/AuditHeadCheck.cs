namespace SmsMcp.Core.Audit;

/// <summary>
/// The head-log half of <see cref="AuditVerifier"/>: reads the checkpoints published for a range of days, checks their
/// seals and their own chain, then checks each day's stored chains against the heads published for that day.
/// </summary>
internal sealed class AuditHeadCheck
{
    private readonly Dictionary<DateOnly, Dictionary<string, (AuditChainHead Head, AuditHeadCheckpoint Checkpoint)>> _byDay = [];

    private AuditHeadCheck(List<AuditHeadCheckpoint> checkpoints, List<AuditProblem> problems)
    {
        Checkpoints = checkpoints;
        Problems = problems;
        foreach (var checkpoint in checkpoints)
        {
            if (!_byDay.TryGetValue(checkpoint.Day, out var writers))
            {
                _byDay[checkpoint.Day] = writers = new(StringComparer.Ordinal);
            }

            foreach (var head in checkpoint.Heads)
            {
                if (!writers.TryGetValue(head.Writer, out var known) || known.Head.Count < head.Count)
                {
                    writers[head.Writer] = (head, checkpoint);
                }
            }
        }
    }

    /// <summary>Checkpoints whose seal verifies, in log order.</summary>
    public IReadOnlyList<AuditHeadCheckpoint> Checkpoints { get; }

    /// <summary>What is wrong with the head log itself.</summary>
    public IReadOnlyList<AuditProblem> Problems { get; }

    /// <summary>
    /// Reads the pages published from <paramref name="first"/> to the day after <paramref name="last"/> (a day's last
    /// checkpoint is published just after midnight) and checks the checkpoints' seals and chain.
    /// </summary>
    public static async Task<AuditHeadCheck> ReadAsync(IAuditHeadLog log, AuditSealer sealer, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var problems = new List<AuditProblem>();
        var genuine = new List<AuditHeadCheckpoint>();
        AuditHeadCheckpoint? previous = null;
        for (var page = first; page <= last.AddDays(1); page = page.AddDays(1))
        {
            var lines = (await log.ReadAsync(page, cancellationToken)).Lines;
            for (var i = 0; i < lines.Count; i++)
            {
                var where = $"line {i + 1} of the head log page of {page:yyyy-MM-dd} ({log.Location})";
                if (AuditHeadCheckpoint.TryParse(lines[i]) is not { } checkpoint)
                {
                    problems.Add(new(page, $"head line {i + 1}", AuditProblemKind.HeadEdited, $"The {where} is not a head checkpoint."));
                    continue;
                }

                if (!AuditSealer.Matches(checkpoint.Seal, sealer.HeadSeal(checkpoint)))
                {
                    problems.Add(new(checkpoint.Day, checkpoint.Name, AuditProblemKind.HeadEdited,
                        $"The seal of {checkpoint.Name} ({where}) does not verify: it was edited, or forged without the seal key."));
                    continue;
                }

                if (previous is not null)
                {
                    if (checkpoint.Sequence <= previous.Sequence)
                    {
                        problems.Add(new(checkpoint.Day, checkpoint.Name, AuditProblemKind.HeadInserted,
                            $"{checkpoint.Name} ({where}) comes after {previous.Name}: a checkpoint was copied or replayed."));
                        continue;
                    }

                    if (checkpoint.Sequence != previous.Sequence + 1 || checkpoint.Previous != previous.Seal)
                    {
                        var missing = checkpoint.Sequence == previous.Sequence + 1
                            ? $"the checkpoint before it is not {previous.Name} as published"
                            : $"head #{previous.Sequence + 1} to #{checkpoint.Sequence - 1} missing";
                        problems.Add(new(checkpoint.Day, checkpoint.Name, AuditProblemKind.HeadDeleted,
                            $"Published checkpoints before {checkpoint.Name} ({where}) were deleted ({missing})."));
                    }
                }

                genuine.Add(checkpoint);
                previous = checkpoint;
            }
        }

        return new AuditHeadCheck(genuine, problems);
    }

    /// <summary>
    /// Checks that every head published for <paramref name="day"/> is still in the trail; a chain that ends before its
    /// published head lost its newest records. Returns how many genuine records no published head covers yet.
    /// </summary>
    public int CheckDay(DateOnly day, IReadOnlyList<(string RowKey, AuditChainLink Link)> links, List<AuditProblem> problems)
    {
        var published = _byDay.GetValueOrDefault(day) ?? [];
        var stored = links.GroupBy(l => l.Link.Writer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(l => l.Link.Sequence), StringComparer.Ordinal);
        foreach (var (writer, (head, checkpoint)) in published)
        {
            var end = stored.GetValueOrDefault(writer);
            if (end < head.Count)
            {
                var lost = head.Count - end;
                var where = end == 0 ? "all of writer " + writer + "'s chain" : $"writer {writer}'s chain after place {end}";
                problems.Add(new(day, head.LastRecordId, AuditProblemKind.Deleted,
                    $"{lost} record(s) covered by {checkpoint.Name} missing from {where}: the head, published {checkpoint.PublishedAt:O}, counts {head.Count} ending with record {head.LastRecordId}."));
            }
        }

        return links.Count(l => !published.TryGetValue(l.Link.Writer, out var p) || l.Link.Sequence > p.Head.Count);
    }
}
