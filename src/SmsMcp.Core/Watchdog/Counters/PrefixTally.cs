namespace SmsMcp.Core.Watchdog.Counters;

/// <summary>
/// One caller's traffic in one period to one 100-number block (a number without its last two digits, pseudonymised):
/// which of the block's last-two-digit endings were texted, and how many messages. The endings alone identify no one
/// (the block is a keyed pseudonym), and they are what SMS pumping gives away: many distinct numbers in one block,
/// often adjacent ones.
/// </summary>
public readonly record struct PrefixTally(UInt128 Seen, long Messages)
{
    /// <summary>How many distinct numbers of the block were texted.</summary>
    public int DistinctNumbers => (int)UInt128.PopCount(Seen);

    /// <summary>The longest run of consecutive endings texted (…40, …41, …42 is a run of 3).</summary>
    public int LongestRun
    {
        get
        {
            int longest = 0, current = 0;
            for (var ending = 0; ending < 100; ending++)
            {
                current = ((Seen >> ending) & UInt128.One) == UInt128.One ? current + 1 : 0;
                longest = Math.Max(longest, current);
            }

            return longest;
        }
    }

    /// <summary>This tally with one message to the number ending in <paramref name="ending"/> (0-99).</summary>
    public PrefixTally With(int ending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ending);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ending, 99);
        return new PrefixTally(Seen | (UInt128.One << ending), Messages + 1);
    }

    internal string Encode() => Seen.ToString("x", null) + ":" + Messages.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static PrefixTally? Decode(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && UInt128.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var seen)
            && long.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out var messages)
            ? new PrefixTally(seen, messages)
            : null;
    }
}
