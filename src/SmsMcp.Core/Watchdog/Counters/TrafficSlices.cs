namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// How a period is cut for folding: watchdog events are folded a slice at a time, once no event of the slice can still
/// be written. A scan reads the events of the slices not folded yet (at most the last <see cref="FoldGrace"/> and the
/// slice in progress, plus whatever a failed fold left behind), and the fold rows of the others.
/// </summary>
/// <remarks>
/// Why an event cannot land after its slice was folded: a writer never stamps an event older than
/// <see cref="MaxEventLag"/> (<see cref="TrafficCounters"/> moves such an event to the time it is written, so it counts in a
/// later slice instead), and the write itself ends within the store's request deadline (Table Storage: 5 s by default,
/// at most 2 min, retries included; SQLite: its busy timeout, 5 s by default). So an event of a slice is stored at the
/// latest <see cref="MaxEventLag"/> + that deadline after the slice's end — or + twice the deadline when its transaction
/// failed and it is tried alone under the same row key (<see cref="TrafficCounters.WriteWithAuditAsync"/>) — and the fold
/// waits <see cref="FoldGrace"/>: the 5 minutes between them cover that (4 minutes at Table Storage's longest deadline,
/// 10 s by default) and clock skew between instances. A send walk normally stamps its
/// event with its start and writes it well under a minute later (storage 5 s per request, quota contention 5 s, the
/// provider 10 s per request by default), so moving an event is the exception of a pathological walk.
/// </remarks>
public static class TrafficSlices
{
    /// <summary>The width of a slice: 12 per period.</summary>
    public static readonly TimeSpan Width = TimeSpan.FromMinutes(5);

    public static readonly int PerPeriod = (int)(TrafficCounters.Period / Width);

    /// <summary>How long after its end a slice is folded.</summary>
    public static readonly TimeSpan FoldGrace = TimeSpan.FromMinutes(10);

    /// <summary>The oldest time an event is stamped with, relative to when it is written.</summary>
    public static readonly TimeSpan MaxEventLag = TimeSpan.FromMinutes(5);

    /// <summary>The slice of its period <paramref name="at"/> falls in (0 to <see cref="PerPeriod"/> - 1).</summary>
    public static int Of(DateTimeOffset at) => (int)((at.ToUniversalTime() - TrafficCounters.PeriodStart(at)) / Width);

    /// <summary>The start of slice <paramref name="slice"/> of the period starting at <paramref name="periodStart"/>.</summary>
    public static DateTimeOffset Start(DateTimeOffset periodStart, int slice) => TrafficCounters.PeriodStart(periodStart) + (Width * slice);

    /// <summary>Whether a scan at <paramref name="at"/> may fold the slice: no event of it can still be written.</summary>
    public static bool Foldable(DateTimeOffset periodStart, int slice, DateTimeOffset at) => Start(periodStart, slice + 1) + FoldGrace <= at;
}
