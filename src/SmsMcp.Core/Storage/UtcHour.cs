namespace SmsMcp.Core.Storage;

/// <summary>The start of the UTC hour a time falls in: the key of every hour-partitioned row (index, ledger, traffic).</summary>
public static class UtcHour
{
    public static DateTimeOffset Of(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
