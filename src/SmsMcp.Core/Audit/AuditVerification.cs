namespace SmsMcp.Core.Audit;

/// <summary>The answer of <see cref="AuditVerifier"/> for a day or a range of days.</summary>
public sealed record AuditVerification
{
    /// <summary>Every finding: problems of the head log first (in log order), then the trail's in trail order (day, then record id).</summary>
    public required IReadOnlyList<AuditProblem> Problems { get; init; }

    /// <summary>Records read.</summary>
    public required int Records { get; init; }

    /// <summary>Records whose outcome is recorded.</summary>
    public required int Completed { get; init; }

    /// <summary>
    /// Ids of attempts never completed (a crash or a lost connection between write-ahead and completion): the trail
    /// is intact, but the outcome of these sends must be reconciled with the provider.
    /// </summary>
    public required IReadOnlyList<string> Pending { get; init; }

    /// <summary>Writer chains seen (one per writing instance and day).</summary>
    public required int Chains { get; init; }

    /// <summary>Published head checkpoints read (those whose seal verifies); null when no head log is configured.</summary>
    public int? HeadsChecked { get; init; }

    /// <summary>The newest published checkpoint read whose seal verifies; null when there is none.</summary>
    public AuditHeadCheckpoint? LatestHead { get; init; }

    /// <summary>
    /// Genuine records newer than every published head of their writer (all of them when no head log is configured):
    /// deleting these from the end of a chain is not detectable until a head covers them.
    /// </summary>
    public int Uncovered { get; init; }

    /// <summary>True when nothing was found wrong.</summary>
    public bool IsIntact => Problems.Count == 0;

    /// <summary>The first record, in trail order, where the trail stops being trustworthy; null when intact.</summary>
    public AuditProblem? FirstProblem => Problems.Count == 0 ? null : Problems[0];
}
