namespace SmsMcp.Core.Lookup;

/// <summary>The lookup answer cache (configuration section <c>Lookup</c>).</summary>
public sealed class LookupOptions
{
    public const string SectionName = "Lookup";

    /// <summary>
    /// How long a successful lookup answer is reused for a number, by every caller and instance. Longer means fewer
    /// billed lookups; shorter notices sooner when a number is ported or its risk changes. Default 30 days; range
    /// 1 hour to 90 days.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromDays(30);
}
