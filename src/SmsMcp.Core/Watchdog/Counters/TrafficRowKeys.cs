using System.Globalization;
using SmsMcp.Core.Audit;

namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// The row keys of the watchdog's traffic. A period's partition of <see cref="TrafficCounters.Table"/> holds counter rows
/// written before watchdog events existed (<c>caller|shard</c>, and <see cref="TrafficCounters.WriteAsync"/>'s synthetic
/// history), the fold rows of its slices (<c>~f07|caller</c>) and one marker per folded slice (<c>~s07</c>). Caller ids
/// are <c>[A-Za-z0-9._:-]</c> (<see cref="Callers.CallerIdentity.IsValidId"/>), so a key starting with <c>~</c> is never
/// a counter row and <c>|</c> always ends the caller id. Events live in the audit day partition as <c>w:ticks-guid</c>.
/// </summary>
internal static class TrafficRowKeys
{
    private const string EventPrefix = "w:";
    private const string FoldPrefix = "~f";
    private const string MarkerPrefix = "~s";

    /// <summary>A fresh event row key: time-ordered (fixed-width ticks) and unique across instances.</summary>
    public static string Event(DateTimeOffset at) => EventBound(at) + "-" + Guid.NewGuid().ToString("N");

    /// <summary>The lowest event row key at or after <paramref name="at"/>: a range [EventBound(a), EventBound(b)) holds the events of [a, b).</summary>
    public static string EventBound(DateTimeOffset at) => EventPrefix + AuditLog.TicksPrefix(at);

    /// <summary>The time an event row key carries, or null for a key that is not an event's.</summary>
    public static DateTimeOffset? EventTime(string rowKey) =>
        rowKey.StartsWith(EventPrefix, StringComparison.Ordinal)
        && rowKey.Length >= EventPrefix.Length + AuditLog.TicksPrefixLength
        && long.TryParse(rowKey.AsSpan(EventPrefix.Length, AuditLog.TicksPrefixLength), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks is >= 0 and <= 3155378975999999999
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    public static string Fold(int slice, string callerId) => FoldPrefix + SliceText(slice) + "|" + callerId;

    public static string Marker(int slice) => MarkerPrefix + SliceText(slice);

    /// <summary>What a row of a period's partition is: a marker (slice), a fold row (slice and caller) or a counter row (caller).</summary>
    public static TrafficRow Parse(string rowKey)
    {
        if (rowKey.StartsWith(MarkerPrefix, StringComparison.Ordinal))
        {
            return new TrafficRow(TrafficRowKind.Marker, SliceOf(rowKey), null);
        }

        if (rowKey.StartsWith(FoldPrefix, StringComparison.Ordinal))
        {
            var bar = rowKey.IndexOf('|', StringComparison.Ordinal);
            return new TrafficRow(TrafficRowKind.Fold, SliceOf(rowKey), rowKey[(bar + 1)..]);
        }

        var last = rowKey.LastIndexOf('|');
        return new TrafficRow(TrafficRowKind.Counter, -1, last < 0 ? rowKey : rowKey[..last]);
    }

    private static string SliceText(int slice) => slice.ToString("d2", CultureInfo.InvariantCulture);

    private static int SliceOf(string rowKey) =>
        int.TryParse(rowKey.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var slice) ? slice : -1;
}
