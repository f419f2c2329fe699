using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Quotas;

/// <summary>
/// The counts one ledger entity holds: for each window, the key of the window it counts in and the messages,
/// segments and spend in it. A window whose key is older than the current one is stale and reads as zero, so the
/// entity never needs cleaning: the next reservation simply starts the new window over it.
/// </summary>
/// <remarks>
/// A stored key never moves backwards. Instances' clocks differ by a little: one a fraction of a second behind,
/// still in the last minute (or day, or month), would otherwise write the older key back over the newer one and
/// reset its count, letting the instances ahead grant the limit again. A key newer than the writer's own window
/// counts in full, and the writer counts into it (see <see cref="Effective"/>). Keys are fixed-width UTC digit
/// strings, so ordinal order is time order.
/// </remarks>
/// <remarks>
/// Stored as flat properties (<c>DayKey</c>, <c>DayMessages</c>, <c>DaySegments</c>, <c>DaySpend</c>, ...) plus
/// <c>Nonces</c>, the ids of the last writes (see <see cref="QuotaLedger"/>).
/// </remarks>
public sealed class QuotaCounters
{
    /// <summary>How many recent write ids an entity remembers; enough to outlast a transport retry under heavy contention.</summary>
    public const int RememberedWrites = 64;

    private const string NoncesProperty = "Nonces";
    private static readonly QuotaWindow[] Windows = Enum.GetValues<QuotaWindow>();
    private static readonly QuotaMetric[] Metrics = Enum.GetValues<QuotaMetric>();

    // The property names, built once: every reservation reads and writes all of them.
    private static readonly string[] KeyNames = [.. Windows.Select(w => w + "Key")];
    private static readonly string[] CountNames = [.. Windows.SelectMany(w => Metrics.Select(m => w.ToString() + m))];

    private readonly string[] _keys;
    private readonly long[] _values;
    private readonly string _nonces;

    private QuotaCounters(string[] keys, long[] values, string nonces)
    {
        _keys = keys;
        _values = values;
        _nonces = nonces;
    }

    /// <summary>The counters of a stored entity; all zero when there is none.</summary>
    public static QuotaCounters Read(TableEntity? entity)
    {
        var keys = new string[Windows.Length];
        var values = new long[Windows.Length * Metrics.Length];
        foreach (var window in Windows)
        {
            keys[(int)window] = entity?.Get<string>(KeyNames[(int)window]) ?? "";
            foreach (var metric in Metrics)
            {
                values[Index(window, metric)] = entity?.Get<long>(CountNames[Index(window, metric)]) ?? 0;
            }
        }

        return new QuotaCounters(keys, values, entity?.Get<string>(NoncesProperty) ?? "");
    }

    /// <summary>Whether the write with id <paramref name="nonce"/> is among the last ones that reached this entity.</summary>
    public bool Remembers(string nonce) => _nonces.Split(' ').Contains(nonce, StringComparer.Ordinal);

    /// <summary>
    /// The count in the current window: zero when the stored window is stale, the stored count when it is the current
    /// window or a newer one (written by an instance whose clock is ahead).
    /// </summary>
    public long Get(QuotaWindows current, QuotaWindow window, QuotaMetric metric) =>
        string.CompareOrdinal(_keys[(int)window], current.KeyOf(window)) >= 0 ? _values[Index(window, metric)] : 0;

    /// <summary>
    /// The windows a change made at <paramref name="current"/> counts in: the current ones, except where this entity
    /// already counts in a newer window, which is kept (a key never moves backwards).
    /// </summary>
    public QuotaWindows Effective(QuotaWindows current) => new(
        Latest(current, QuotaWindow.Minute), Latest(current, QuotaWindow.Hour), Latest(current, QuotaWindow.Day), Latest(current, QuotaWindow.Month));

    /// <summary>The counters with <paramref name="charge"/> added in the <see cref="Effective"/> windows (stale windows start over).</summary>
    public QuotaCounters Add(QuotaWindows current, QuotaCharge charge)
    {
        var effective = Effective(current);
        var keys = new string[_keys.Length];
        var values = new long[_values.Length];
        foreach (var window in Windows)
        {
            keys[(int)window] = effective.KeyOf(window);
            foreach (var metric in Metrics)
            {
                values[Index(window, metric)] = Get(effective, window, metric) + charge.Of(metric);
            }
        }

        return new QuotaCounters(keys, values, _nonces);
    }

    /// <summary>
    /// The counters with <paramref name="charge"/> taken back, only in windows still counting the ones it was
    /// reserved in (a window that has moved on never had it); null when there is nothing to take back.
    /// </summary>
    public QuotaCounters? Subtract(QuotaWindows reserved, QuotaCharge charge)
    {
        var values = _values.ToArray();
        var changed = false;
        foreach (var window in Windows.Where(w => _keys[(int)w] == reserved.KeyOf(w)))
        {
            foreach (var metric in Metrics)
            {
                values[Index(window, metric)] = Math.Max(0, values[Index(window, metric)] - charge.Of(metric));
            }

            changed = true;
        }

        return changed ? new QuotaCounters(_keys, values, _nonces) : null;
    }

    /// <summary>The entity to write, stamped with <paramref name="nonce"/>, the id of this write.</summary>
    public TableEntity ToEntity(string partitionKey, string rowKey, string nonce)
    {
        var properties = new Dictionary<string, object>(KeyNames.Length + CountNames.Length + 1, StringComparer.Ordinal);
        foreach (var window in Windows)
        {
            properties[KeyNames[(int)window]] = _keys[(int)window];
            foreach (var metric in Metrics)
            {
                properties[CountNames[Index(window, metric)]] = _values[Index(window, metric)];
            }
        }

        properties[NoncesProperty] = Remember(_nonces, nonce);
        return new TableEntity(partitionKey, rowKey, properties);
    }

    /// <summary>
    /// <paramref name="nonces"/> (space-separated, oldest first) with <paramref name="nonce"/> appended and only the last
    /// <see cref="RememberedWrites"/> kept. Cut by position rather than split and joined: it runs on every quota write.
    /// </summary>
    internal static string Remember(string nonces, string nonce)
    {
        if (nonces.Length == 0)
        {
            return nonce;
        }

        // Walk back over the RememberedWrites - 1 ids to keep; the space found last is where they start.
        var start = nonces.Length;
        for (var kept = 0; kept < RememberedWrites - 1; kept++)
        {
            var space = start == 0 ? -1 : nonces.LastIndexOf(' ', start - 1);
            if (space < 0)
            {
                return string.Concat(nonces, " ", nonce);
            }

            start = space;
        }

        return string.Concat(nonces.AsSpan(start + 1), " ", nonce);
    }

    private string Latest(QuotaWindows current, QuotaWindow window) =>
        string.CompareOrdinal(_keys[(int)window], current.KeyOf(window)) > 0 ? _keys[(int)window] : current.KeyOf(window);

    private static int Index(QuotaWindow window, QuotaMetric metric) => ((int)window * Metrics.Length) + (int)metric;
}
