using PhoneNumbers;

namespace SmsMcp.Core.Tests.Phone;

/// <summary>One example number from libphonenumber's metadata: the region (or "001") and type it was given for.</summary>
public sealed record ExampleNumber(string Region, int CallingCode, PhoneNumberType Type, string E164)
{
    public override string ToString() => $"{Region} {Type}";
}

/// <summary>
/// Every example number libphonenumber holds: for each supported region and each number type
/// (<see cref="PhoneNumberUtil.GetExampleNumberForType(string, PhoneNumberType)"/>), and for each
/// non-geographic calling code the example of every type its metadata describes. FIXED_LINE_OR_MOBILE is
/// left out: the library answers it with the fixed-line example again.
/// </summary>
public static class ExampleNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static readonly PhoneNumberType[] Types =
    [
        PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP, PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.PAGER,
        PhoneNumberType.UAN, PhoneNumberType.VOICEMAIL,
    ];

    public static IReadOnlyList<string> Regions { get; } = [.. Util.GetSupportedRegions().Order(StringComparer.Ordinal)];

    public static IReadOnlyList<int> NonGeographicCodes { get; } = [.. Util.GetSupportedGlobalNetworkCallingCodes().Order()];

    public static IReadOnlyList<ExampleNumber> All { get; } = Collect();

    /// <summary>Regions that share their calling code with another region (NANP, +44, +7, +61, +590, ...).</summary>
    public static IReadOnlySet<string> SharingRegions { get; } = Regions
        .Where(r => Util.GetRegionCodesForCountryCode(Util.GetCountryCodeForRegion(r)).Count > 1)
        .ToHashSet(StringComparer.Ordinal);

    public static IEnumerable<ExampleNumber> OfType(params PhoneNumberType[] types) => All.Where(e => types.Contains(e.Type));

    /// <summary>True when <paramref name="e164"/> is valid in <paramref name="region"/> by libphonenumber.</summary>
    public static bool IsValidIn(string e164, string region) => Util.IsValidNumberForRegion(Util.Parse(e164, null), region);

    /// <summary>The regions that use <paramref name="callingCode"/>.</summary>
    public static IReadOnlyList<string> RegionsOf(int callingCode) => Util.GetRegionCodesForCountryCode(callingCode);

    /// <summary>The example written the ways a person would, which the strict parser must refuse: national form, with separators, ...</summary>
    public static string Format(ExampleNumber example, PhoneNumberFormat format) => Util.Format(Util.Parse(example.E164, null), format);

    /// <summary>The national significant number: the digits after the calling code.</summary>
    public static string National(ExampleNumber example) => Util.GetNationalSignificantNumber(Util.Parse(example.E164, null));

    /// <summary>The national prefix a caller dials before the national number (0 in most of Europe), or null.</summary>
    public static string? NationalPrefix(ExampleNumber example) =>
        example.Region == "001" ? null : Util.GetMetadataForRegion(example.Region).NationalPrefix is { Length: > 0 } p ? p : null;

    private static List<ExampleNumber> Collect()
    {
        var examples = new List<ExampleNumber>();
        foreach (var region in Regions)
        {
            foreach (var type in Types)
            {
                if (Util.GetExampleNumberForType(region, type) is { } number)
                {
                    examples.Add(new(region, number.CountryCode, type, Util.Format(number, PhoneNumberFormat.E164)));
                }
            }
        }

        foreach (var code in NonGeographicCodes)
        {
            var metadata = Util.GetMetadataForNonGeographicalRegion(code);
            var descriptions = new (PhoneNumberType Type, PhoneNumberDesc? Desc)[]
            {
                (PhoneNumberType.FIXED_LINE, metadata.FixedLine), (PhoneNumberType.MOBILE, metadata.Mobile),
                (PhoneNumberType.TOLL_FREE, metadata.TollFree), (PhoneNumberType.PREMIUM_RATE, metadata.PremiumRate),
                (PhoneNumberType.SHARED_COST, metadata.SharedCost), (PhoneNumberType.VOIP, metadata.Voip),
                (PhoneNumberType.PERSONAL_NUMBER, metadata.PersonalNumber), (PhoneNumberType.PAGER, metadata.Pager),
                (PhoneNumberType.UAN, metadata.Uan), (PhoneNumberType.VOICEMAIL, metadata.Voicemail),
            };
            foreach (var (type, desc) in descriptions)
            {
                if (desc is { ExampleNumber: { Length: > 0 } national })
                {
                    examples.Add(new("001", code, type, $"+{code}{national}"));
                }
            }
        }

        return examples;
    }
}
