namespace SmsMcp.Core.Quotas;

/// <summary>
/// Spend is counted in integer micro-units (millionths of the policy currency) so concurrent increments stay
/// exact; the policy parser allows at most six decimals in prices and caps, so the conversion never rounds.
/// </summary>
public static class QuotaMoney
{
    private const decimal MicrosPerUnit = 1_000_000m;

    public static long ToMicros(decimal amount) => (long)(amount * MicrosPerUnit);

    public static decimal FromMicros(long micros) => micros / MicrosPerUnit;
}
