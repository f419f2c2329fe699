using System.Globalization;

namespace SmsMcp.Core.Quotas;

/// <summary>The keys of the UTC minute, hour, day and month an instant falls in, e.g. "202611211230" for a minute.</summary>
public sealed record QuotaWindows(string Minute, string Hour, string Day, string Month)
{
    public static QuotaWindows At(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new QuotaWindows(
            utc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture),
            utc.ToString("yyyyMMddHH", CultureInfo.InvariantCulture),
            utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            utc.ToString("yyyyMM", CultureInfo.InvariantCulture));
    }

    public string KeyOf(QuotaWindow window) => window switch
    {
        QuotaWindow.Minute => Minute,
        QuotaWindow.Hour => Hour,
        QuotaWindow.Day => Day,
        _ => Month,
    };

    /// <summary>The window as people read it: "2026-11-21T12:30Z", "2026-11-21T12Z", "2026-11-21", "2026-11".</summary>
    public string Display(QuotaWindow window)
    {
        var key = KeyOf(window);
        return window switch
        {
            QuotaWindow.Minute => $"{key[..4]}-{key[4..6]}-{key[6..8]}T{key[8..10]}:{key[10..12]}Z",
            QuotaWindow.Hour => $"{key[..4]}-{key[4..6]}-{key[6..8]}T{key[8..10]}Z",
            QuotaWindow.Day => $"{key[..4]}-{key[4..6]}-{key[6..8]}",
            _ => $"{key[..4]}-{key[4..6]}",
        };
    }
}
