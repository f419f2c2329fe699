namespace SmsMcp.Core.Phone;

/// <summary>
/// One assigned country calling code from the ITU-T E.164 list, as kept in <c>calling-codes.csv</c>.
/// </summary>
/// <param name="Code">The calling code, 1 to 3 digits (1 = NANP, 44 = United Kingdom, 800 = UIFN).</param>
/// <param name="Region">ISO 3166-1 alpha-2 code of the main territory using it, or "001" for a global service.</param>
/// <param name="MinNationalLength">Fewest national (significant) digits allowed after the code.</param>
/// <param name="MaxNationalLength">Most national digits allowed after the code.</param>
/// <param name="Class">How numbers under this code are charged, unless a range says otherwise.</param>
/// <param name="LengthsKnown">
/// False when the table holds no national lengths for the code; the lengths are then only the
/// E.164 bounds (<see cref="PhoneNumberParser.MinDigits"/>..<see cref="PhoneNumberParser.MaxDigits"/> in all).
/// </param>
public sealed record CallingCode(int Code, string Region, int MinNationalLength, int MaxNationalLength, NumberClass Class, bool LengthsKnown)
{
    /// <summary>The region used for non-geographic codes (UN M.49 "World").</summary>
    public const string NonGeographicRegion = "001";

    /// <summary>How many digits the code has.</summary>
    public int Length => Code switch
    {
        < 10 => 1,
        < 100 => 2,
        _ => 3,
    };
}
