using Microsoft.Extensions.Configuration;

namespace SmsMcp.Core.Pricing;

/// <summary>
/// Prices used to live in the <c>Pricing</c> configuration section; they now live in the send policy's <c>pricing</c>.
/// A deployment still setting <c>Pricing:*</c> would otherwise start without its prices (no estimates, every send under
/// a spend cap refused <c>price_unknown</c>) and never be told why, so starting is refused until the settings are moved.
/// Keys are named, values never (they are harmless here, but no start-up message echoes a setting's value).
/// </summary>
public static class RetiredPricingSettingsGuard
{
    public const string SectionName = "Pricing";

    /// <summary>Keys of every <c>Pricing:*</c> setting that holds a value, in key order.</summary>
    public static IReadOnlyList<string> SetKeys(IConfiguration configuration) =>
        [.. configuration.GetSection(SectionName).AsEnumerable()
            .Where(setting => setting.Value is not null)
            .Select(setting => setting.Key)
            .Order(StringComparer.Ordinal)];

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the keys when any <c>Pricing:*</c> setting is set.</summary>
    public static void ThrowIfSet(IConfiguration configuration)
    {
        var keys = SetKeys(configuration);
        if (keys.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {SectionName} configuration section is no longer read, but {string.Join(", ", keys)} is set: prices now live in the send "
                + "policy's 'pricing' section ('currency' and 'perSegment', see policy/policy.schema.json). Move the prices there and remove "
                + $"every {SectionName}:* setting. Refusing to start.");
        }
    }
}
