using System.Globalization;
using System.Text.RegularExpressions;

namespace SmsMcp.Http.Jobs;

/// <summary>
/// The fixed-period subset of six-field NCRONTAB the jobs use (<c>0 */N * * * *</c>, N dividing 60: every N minutes
/// on the minute, aligned to the hour; or <c>*/N * * * * *</c>: every N seconds, aligned to the minute, which only an
/// in-process override uses), so the in-process schedule fires at exactly the instants the Functions timer does and
/// both claim the same periods. Anything else is refused rather than approximated.
/// </summary>
public sealed partial record CronPeriod(TimeSpan Length)
{
    public static CronPeriod Parse(string schedule)
    {
        var minutes = EveryNMinutes().Match(schedule);
        var seconds = EveryNSeconds().Match(schedule);
        var match = minutes.Success ? minutes : seconds;
        if (!match.Success
            || !int.TryParse(match.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n is < 1 or > 60
            || 60 % n != 0)
        {
            // The value is configuration, never caller input, so naming it helps the operator and leaks nothing.
            throw new FormatException($"Unsupported schedule '{schedule}': only '0 */N * * * *' or '*/N * * * * *' with N dividing 60 is supported.");
        }

        return new CronPeriod(minutes.Success ? TimeSpan.FromMinutes(n) : TimeSpan.FromSeconds(n));
    }

    /// <summary>The start of the period <paramref name="at"/> falls in (the occurrence at or before it).</summary>
    public DateTimeOffset StartOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % Length.Ticks), TimeSpan.Zero);

    /// <summary>The first occurrence strictly after <paramref name="at"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset at) => StartOf(at) + Length;

    [GeneratedRegex(@"^0 \*/(?<n>[0-9]{1,2}) \* \* \* \*$", RegexOptions.CultureInvariant)]
    private static partial Regex EveryNMinutes();

    [GeneratedRegex(@"^\*/(?<n>[0-9]{1,2}) \* \* \* \* \*$", RegexOptions.CultureInvariant)]
    private static partial Regex EveryNSeconds();
}
