using System.Globalization;

namespace SmsMcp.Core.Watchdog.Detectors;

/// <summary>Builds a finding's facts: invariant-culture numbers, insertion order kept.</summary>
internal static class Facts
{
    public static IReadOnlyDictionary<string, string> Of(params (string Name, object Value)[] facts) =>
        facts.ToDictionary(f => f.Name, f => Convert.ToString(f.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
}
