using System.Collections.Frozen;
using PhoneNumbers;

namespace SmsMcp.Core.Phone;

/// <summary>
/// The numbering-plan facts the rest of the code asks about, all answered by libphonenumber's metadata:
/// which calling codes exist, which regions have numbers, and the region and class of a number. The
/// library is the only source; nothing here is transcribed by hand except which non-geographic codes are
/// satellite or international networks (libphonenumber types those as mobile or VoIP, not by cost).
/// </summary>
internal static class PhoneMetadata
{
    /// <summary>The region of non-geographic calling codes (UN M.49 "World"): +800, +870, +881, ...</summary>
    public const string NonGeographicRegion = "001";

    internal static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private static readonly FrozenSet<int> CallingCodes = Util.GetSupportedCallingCodes().ToFrozenSet();

    private static readonly FrozenSet<string> Regions = Util.GetSupportedRegions().ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every ISO 3166-1 alpha-2 region (and the ITU's AC, TA, XK) that has numbers of its own; "001" is not among them.</summary>
    public static IReadOnlySet<string> SupportedRegions => Regions;

    /// <summary>True when <paramref name="region"/> is a supported region or <see cref="NonGeographicRegion"/>.</summary>
    public static bool IsKnownRegion(string region) => region == NonGeographicRegion || Regions.Contains(region);

    /// <summary>
    /// Finds the assigned calling code that starts <paramref name="digits"/> (E.164 digits after '+').
    /// Calling codes are prefix-free, so at most one of the 1-, 2- and 3-digit prefixes is assigned.
    /// </summary>
    public static bool TryMatchCallingCode(ReadOnlySpan<char> digits, out int code, out int length)
    {
        code = 0;
        for (length = 1; length <= 3 && length <= digits.Length && char.IsAsciiDigit(digits[length - 1]) && digits[0] != '0'; length++)
        {
            code = (code * 10) + (digits[length - 1] - '0');
            if (CallingCodes.Contains(code))
            {
                return true;
            }
        }

        code = 0;
        length = 0;
        return false;
    }

    /// <summary>
    /// The region libphonenumber places a valid <paramref name="number"/> in (CA or JM for +1, GG/JE/IM for +44,
    /// KZ for +7, "001" for non-geographic codes) and its policy class.
    /// </summary>
    internal static (string Region, NumberClass Class) Classify(PhoneNumbers.PhoneNumber number)
    {
        var region = Util.GetRegionCodeForNumber(number);
        var type = Util.GetNumberType(number);
        return (region, region == NonGeographicRegion ? NonGeographicClass(number.CountryCode, type) : ClassOf(type, number.CountryCode));
    }

    /// <summary>
    /// The class of a number with the given libphonenumber type. UNKNOWN (which a valid number never has) maps
    /// to <see cref="NumberClass.GlobalService"/>, blocked by default, so an unmapped type fails closed.
    /// </summary>
    internal static NumberClass ClassOf(PhoneNumberType type, int callingCode) => type switch
    {
        PhoneNumberType.FIXED_LINE or PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE => NumberClass.Standard,
        PhoneNumberType.TOLL_FREE => NumberClass.Freephone,
        PhoneNumberType.PREMIUM_RATE => callingCode == 1 ? NumberClass.NanpPremium : NumberClass.Premium,
        PhoneNumberType.SHARED_COST => NumberClass.SharedCost,
        PhoneNumberType.PERSONAL_NUMBER => NumberClass.PersonalNumbering,
        PhoneNumberType.UAN => NumberClass.Uan,
        PhoneNumberType.PAGER => NumberClass.Pager,
        PhoneNumberType.VOICEMAIL => NumberClass.Voicemail,
        PhoneNumberType.VOIP => NumberClass.Voip,
        _ => NumberClass.GlobalService,
    };

    /// <summary>
    /// Non-geographic codes are never <see cref="NumberClass.Standard"/> or <see cref="NumberClass.Voip"/>: +870/+881
    /// are satellite and +882/+883 international networks whatever their type; a special-rate type keeps its class
    /// (+800 freephone, +808 shared cost, +979 premium); everything else (+878, +888, codes added later) is a global service.
    /// </summary>
    private static NumberClass NonGeographicClass(int callingCode, PhoneNumberType type) => callingCode switch
    {
        870 or 881 => NumberClass.Satellite,
        882 or 883 => NumberClass.InternationalNetwork,
        _ => ClassOf(type, callingCode) is var byType && byType is NumberClass.Freephone or NumberClass.SharedCost or NumberClass.Premium
            ? byType
            : NumberClass.GlobalService,
    };
}
