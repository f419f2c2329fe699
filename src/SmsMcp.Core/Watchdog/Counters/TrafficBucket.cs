using System.Globalization;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// One caller's traffic in one period (<see cref="TrafficCounters.Period"/>): what the send and status paths counted.
/// Everything a detector needs, so a scan reads buckets and never messages or audit records. Nothing in it is a raw
/// number or a body: destinations appear as regions and as pseudonymised 100-number blocks.
/// </summary>
/// <remarks>
/// Stored as one entity: flat counts plus three small maps encoded as <c>key=value,…</c> strings (reason codes,
/// regions and pseudonyms are all plain <c>[A-Za-z0-9_]</c>). The block map keeps at most <see cref="MaxPrefixes"/>
/// blocks so an entity stays far below Table Storage's size limits whatever a caller does; further blocks only count
/// in <see cref="PrefixOverflow"/>, which is itself a pumping signature.
/// </remarks>
public sealed class TrafficBucket
{
    /// <summary>The most 100-number blocks one bucket tracks individually.</summary>
    public const int MaxPrefixes = 200;

    public long Attempts { get; set; }
    public long Sent { get; set; }
    public long Held { get; set; }
    public long Segments { get; set; }

    /// <summary>Estimated spend of the sent messages, in millionths of the policy's currency.</summary>
    public long SpendMicros { get; set; }

    public long Delivered { get; set; }
    public long Undelivered { get; set; }
    public long Failed { get; set; }

    /// <summary>Delivery errors that mark pumping or a bought list: opt-outs (21610) and the carrier's fraud blocks (30450, 30453).</summary>
    public long BlockedErrors { get; set; }

    public long PrefixOverflow { get; set; }

    /// <summary>Reason code → refused attempts.</summary>
    public Dictionary<string, long> Refusals { get; } = new(StringComparer.Ordinal);

    /// <summary>Region → sent messages.</summary>
    public Dictionary<string, long> Countries { get; } = new(StringComparer.Ordinal);

    /// <summary>Pseudonymised 100-number block → what was sent to it.</summary>
    public Dictionary<string, PrefixTally> Prefixes { get; } = new(StringComparer.Ordinal);

    public long Refused => Refusals.Values.Sum();

    /// <summary>Messages with a final carrier status in this period.</summary>
    public long Settled => Delivered + Undelivered + Failed;

    /// <summary>Counts one message sent to the block <paramref name="prefixRef"/>, number ending <paramref name="ending"/>.</summary>
    public void AddPrefix(string prefixRef, int ending)
    {
        if (Prefixes.TryGetValue(prefixRef, out var tally))
        {
            Prefixes[prefixRef] = tally.With(ending);
        }
        else if (Prefixes.Count < MaxPrefixes)
        {
            Prefixes[prefixRef] = default(PrefixTally).With(ending);
        }
        else
        {
            PrefixOverflow++;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts into this bucket (a day or a window read as one).</summary>
    public void Merge(TrafficBucket other)
    {
        Attempts += other.Attempts;
        Sent += other.Sent;
        Held += other.Held;
        Segments += other.Segments;
        SpendMicros += other.SpendMicros;
        Delivered += other.Delivered;
        Undelivered += other.Undelivered;
        Failed += other.Failed;
        BlockedErrors += other.BlockedErrors;
        PrefixOverflow += other.PrefixOverflow;
        foreach (var (code, count) in other.Refusals)
        {
            Refusals[code] = Refusals.GetValueOrDefault(code) + count;
        }

        foreach (var (region, count) in other.Countries)
        {
            Countries[region] = Countries.GetValueOrDefault(region) + count;
        }

        foreach (var (prefix, tally) in other.Prefixes)
        {
            Prefixes[prefix] = Prefixes.TryGetValue(prefix, out var mine) ? new PrefixTally(mine.Seen | tally.Seen, mine.Messages + tally.Messages) : tally;
        }
    }

    /// <summary>
    /// Keeps the <see cref="MaxPrefixes"/> blocks with the most distinct numbers (then messages, then pseudonym) and counts
    /// the messages of the others in <see cref="PrefixOverflow"/>. Depends only on what the bucket holds, never on the order
    /// its parts were merged in, so a slice folded by any scanner and the same slice read from its events agree.
    /// </summary>
    public void Trim()
    {
        if (Prefixes.Count <= MaxPrefixes)
        {
            return;
        }

        var dropped = Prefixes
            .OrderByDescending(p => p.Value.DistinctNumbers)
            .ThenByDescending(p => p.Value.Messages)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Skip(MaxPrefixes)
            .ToList();
        foreach (var (prefix, tally) in dropped)
        {
            Prefixes.Remove(prefix);
            PrefixOverflow += tally.Messages;
        }
    }

    /// <summary>The bucket a stored entity holds; empty when there is none.</summary>
    public static TrafficBucket Read(TableEntity? entity)
    {
        var bucket = new TrafficBucket();
        if (entity is null)
        {
            return bucket;
        }

        bucket.Attempts = entity.Get<long>(nameof(Attempts));
        bucket.Sent = entity.Get<long>(nameof(Sent));
        bucket.Held = entity.Get<long>(nameof(Held));
        bucket.Segments = entity.Get<long>(nameof(Segments));
        bucket.SpendMicros = entity.Get<long>(nameof(SpendMicros));
        bucket.Delivered = entity.Get<long>(nameof(Delivered));
        bucket.Undelivered = entity.Get<long>(nameof(Undelivered));
        bucket.Failed = entity.Get<long>(nameof(Failed));
        bucket.BlockedErrors = entity.Get<long>(nameof(BlockedErrors));
        bucket.PrefixOverflow = entity.Get<long>(nameof(PrefixOverflow));
        foreach (var (key, value) in Pairs(entity.Get<string>(nameof(Refusals))))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                bucket.Refusals[key] = count;
            }
        }

        foreach (var (key, value) in Pairs(entity.Get<string>(nameof(Countries))))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                bucket.Countries[key] = count;
            }
        }

        foreach (var (key, value) in Pairs(entity.Get<string>(nameof(Prefixes))))
        {
            if (PrefixTally.Decode(value) is { } tally)
            {
                bucket.Prefixes[key] = tally;
            }
        }

        return bucket;
    }

    /// <summary>The properties to store.</summary>
    public Dictionary<string, object> ToProperties() => new(StringComparer.Ordinal)
    {
        [nameof(Attempts)] = Attempts,
        [nameof(Sent)] = Sent,
        [nameof(Held)] = Held,
        [nameof(Segments)] = Segments,
        [nameof(SpendMicros)] = SpendMicros,
        [nameof(Delivered)] = Delivered,
        [nameof(Undelivered)] = Undelivered,
        [nameof(Failed)] = Failed,
        [nameof(BlockedErrors)] = BlockedErrors,
        [nameof(PrefixOverflow)] = PrefixOverflow,
        [nameof(Refusals)] = Join(Refusals.Select(p => (p.Key, p.Value.ToString(CultureInfo.InvariantCulture)))),
        [nameof(Countries)] = Join(Countries.Select(p => (p.Key, p.Value.ToString(CultureInfo.InvariantCulture)))),
        [nameof(Prefixes)] = Join(Prefixes.Select(p => (p.Key, p.Value.Encode()))),
    };

    private static string Join(IEnumerable<(string Key, string Value)> pairs) =>
        string.Join(',', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    private static IEnumerable<(string Key, string Value)> Pairs(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var pair in text.Split(','))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                yield return (pair[..equals], pair[(equals + 1)..]);
            }
        }
    }
}
