using System.Diagnostics.CodeAnalysis;

namespace SmsMcp.Core.Phone;

/// <summary>
/// Parses strict E.164: exactly '+' followed by <see cref="MinDigits"/> to <see cref="MaxDigits"/> ASCII
/// digits, the first of them 1-9, starting with an assigned calling code (<see cref="CallingCodes"/>) and
/// with a national length that country allows. Nothing is normalised: no trimming, no separators, no
/// national or 00 prefixes, no extensions, no Unicode digits — an agent must send the canonical form,
/// so what is checked is exactly what is sent. Pure and allocation-light; safe on any input.
/// </summary>
public static class PhoneNumberParser
{
    /// <summary>
    /// Fewest digits after '+': 7. E.164 sets only a maximum; the shortest numbers in use are 4 national
    /// digits behind a 3-digit code (Niue +683, Tokelau +690, Saint Helena +290), and the per-country
    /// lengths in the table are stricter for everyone else.
    /// </summary>
    public const int MinDigits = 7;

    /// <summary>Most digits after '+': 15, the ITU-T E.164 maximum.</summary>
    public const int MaxDigits = 15;

    /// <summary>
    /// Parses <paramref name="input"/> as a strict E.164 number. Never throws. On failure
    /// <paramref name="number"/> is null and <paramref name="error"/> says why, checked in this order:
    /// <see cref="PhoneNumberError.Empty"/>, <see cref="PhoneNumberError.InvalidCharacter"/>,
    /// <see cref="PhoneNumberError.MissingPlus"/>, <see cref="PhoneNumberError.TooShort"/>,
    /// <see cref="PhoneNumberError.TooLong"/>, <see cref="PhoneNumberError.UnknownCallingCode"/>,
    /// <see cref="PhoneNumberError.WrongLengthForCountry"/>, <see cref="PhoneNumberError.InvalidNationalNumber"/>.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out PhoneNumber? number, out PhoneNumberError error)
    {
        number = null;
        error = Check(input, out var callingCode);
        if (error != PhoneNumberError.None)
        {
            return false;
        }

        var (region, numberClass) = CallingCodes.Classify(callingCode!, input.AsSpan(1));
        number = new PhoneNumber(input!, callingCode!, region, numberClass);
        return true;
    }

    private static PhoneNumberError Check(string? input, out CallingCode? callingCode)
    {
        callingCode = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            return PhoneNumberError.Empty;
        }

        for (var i = 0; i < input.Length; i++)
        {
            if (!char.IsAsciiDigit(input[i]) && !(i == 0 && input[i] == '+'))
            {
                return PhoneNumberError.InvalidCharacter;
            }
        }

        if (input[0] != '+')
        {
            return PhoneNumberError.MissingPlus;
        }

        var digits = input.AsSpan(1);
        if (digits.Length < MinDigits)
        {
            return PhoneNumberError.TooShort;
        }

        if (digits.Length > MaxDigits)
        {
            return PhoneNumberError.TooLong;
        }

        if (!CallingCodes.TryMatch(digits, out callingCode))
        {
            return PhoneNumberError.UnknownCallingCode;
        }

        var national = digits[callingCode.Length..];
        if (national.Length < callingCode.MinNationalLength || national.Length > callingCode.MaxNationalLength)
        {
            return PhoneNumberError.WrongLengthForCountry;
        }

        return callingCode.Code == 1 && !IsValidNanp(national) ? PhoneNumberError.InvalidNationalNumber : PhoneNumberError.None;
    }

    /// <summary>
    /// NANP structure (NPA-NXX-XXXX): area code and exchange start with 2-9; N11 area codes are service
    /// codes; N9X, 37X and 96X area codes are reserved by NANPA and assigned to no one.
    /// </summary>
    private static bool IsValidNanp(ReadOnlySpan<char> national)
    {
        char a = national[0], b = national[1], c = national[2];
        return a >= '2'
            && national[3] >= '2'
            && !(b == '1' && c == '1')
            && b != '9'
            && !(a == '3' && b == '7')
            && !(a == '9' && b == '6');
    }
}
