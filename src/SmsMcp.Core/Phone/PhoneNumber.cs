namespace SmsMcp.Core.Phone;

/// <summary>
/// A phone number that passed <see cref="PhoneNumberParser"/>: strict E.164 and valid by libphonenumber's
/// metadata, with the region and class that metadata gives it. Only the parser creates one, so holding a
/// <see cref="PhoneNumber"/> means holding a checked number.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> returns <see cref="Masked"/>, so a number that slips into a log line or an
/// interpolated string (including the printout of a record that contains it) does not leak; use
/// <see cref="E164"/> deliberately, for the provider and for keyed pseudonyms only.
/// </remarks>
public sealed record PhoneNumber
{
    internal PhoneNumber(string e164, int callingCode, int callingCodeLength, string region, NumberClass numberClass)
    {
        E164 = e164;
        CountryCallingCode = callingCode;
        Region = region;
        Class = numberClass;
        var hidden = e164.Length - 1 - callingCodeLength - 2;
        Masked = $"+{callingCode} {new string('*', hidden)}{e164[^2..]}";
    }

    /// <summary>The number in E.164: '+' then 6 to 15 ASCII digits. Raw personal data: never log it or return it to another caller.</summary>
    public string E164 { get; }

    /// <summary>The country calling code (1 for the NANP, 44 for the United Kingdom, 800 for UIFN freephone).</summary>
    public int CountryCallingCode { get; }

    /// <summary>
    /// ISO 3166-1 alpha-2 region of the number as libphonenumber places it (CA, JM, PR... for +1; GG, JE, IM for
    /// their +44 ranges; KZ for +7 7), or "001" for non-geographic codes such as +800 or +881.
    /// </summary>
    public string Region { get; }

    /// <summary>How the number is charged or routed (premium, satellite, VoIP, ...).</summary>
    public NumberClass Class { get; }

    /// <summary>
    /// The number with all national digits but the last two hidden: "+44 ********23". Safe for tool
    /// output and logs; it keeps the calling code and the national length.
    /// </summary>
    public string Masked { get; }

    /// <summary>Returns <see cref="Masked"/>, never the full number.</summary>
    public override string ToString() => Masked;
}
