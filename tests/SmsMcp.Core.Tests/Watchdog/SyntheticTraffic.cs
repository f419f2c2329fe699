using SmsMcp.Core.Watchdog.Counters;

namespace SmsMcp.Core.Tests.Watchdog;

/// <summary>
/// Ordinary traffic as hourly buckets: a daily rhythm (quiet nights, busy office hours), quieter weekends, noise,
/// short bursts that stay under the floor, a contact list that grows (new aliases) spread over many number blocks,
/// a few refusals and undelivered messages, and a holiday. Seeded: the same seed makes the same month.
/// </summary>
internal static class SyntheticTraffic
{
    /// <summary>Callers and their busiest-hour volume.</summary>
    public static readonly (string Caller, int Peak)[] Callers = [("a", 120), ("b", 40), ("c", 8)];

    public static TrafficBucket Hour(string caller, int peak, DateTimeOffset hour, DateOnly? holiday, Random random)
    {
        var daily = hour.Hour switch { < 7 => 0.02, < 9 => 0.4, < 18 => 1.0, < 22 => 0.3, _ => 0.05 };
        var weekly = hour.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.35 : 1.0;
        var festive = DateOnly.FromDateTime(hour.UtcDateTime) == holiday ? 0.1 : 1.0;
        var expected = peak * daily * weekly * festive * (0.75 + (random.NextDouble() * 0.5));
        var sent = (long)Math.Round(expected) + (random.Next(40) == 0 ? random.Next(5, 25) : 0);
        var bucket = new TrafficBucket { Sent = sent, Attempts = sent, Segments = sent };
        if (sent == 0)
        {
            return bucket;
        }

        var day = (int)(hour - new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)).TotalDays;
        var contacts = 200 + (day * 5);
        for (var i = 0; i < sent; i++)
        {
            // A contact's block and ending are fixed functions of the contact, so repeat texts land on the same number.
            var contact = random.Next(contacts);
            bucket.AddPrefix($"p_{caller}{(contact * 7919) % 2000:d4}", (contact * 31) % 100);
        }

        bucket.SpendMicros = sent * 8300;
        bucket.Countries["US"] = sent - (sent / 10);
        if (sent / 10 > 0)
        {
            bucket.Countries["CA"] = sent / 10;
        }

        bucket.Attempts += random.Next(4);
        bucket.Refusals["recipient_not_allowed"] = bucket.Attempts - sent;
        bucket.Undelivered = (long)(sent * random.NextDouble() * 0.08);
        bucket.Delivered = sent - bucket.Undelivered;
        bucket.BlockedErrors = random.Next(30) == 0 ? 1 : 0;
        return bucket;
    }

    /// <summary>Writes <paramref name="hours"/> hours of ordinary traffic for every caller, ending before <paramref name="until"/>.</summary>
    public static async Task WriteAsync(TrafficCounters traffic, DateTimeOffset until, int hours, DateOnly? holiday, int seed)
    {
        var random = new Random(seed);
        for (var h = hours; h >= 1; h--)
        {
            var hour = until - TimeSpan.FromHours(h);
            foreach (var (caller, peak) in Callers)
            {
                await traffic.WriteAsync(caller, hour, Hour(caller, peak, hour, holiday, random), CancellationToken.None);
            }
        }
    }
}
