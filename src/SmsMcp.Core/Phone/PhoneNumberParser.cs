using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace SmsMcp.Core.Phone;

/// <summary>
/// Parses strict E.164: exactly '+' followed by <see cref="MinDigits"/> to <see cref="MaxDigits"/> ASCII
/// digits, the first of them 1-9, that libphonenumber's metadata holds valid. Nothing is normalised: no
/// trimming, no separators, no national or 00 prefixes, no trunk 0 after the calling code, no extensions,
/// no Unicode digits — an agent must send the canonical form, so what is checked is exactly what is sent.
/// libphonenumber only judges and classifies the canonical string; it never rewrites it. Never throws.
/// </summary>
/// <remarks>
/// Fail closed: a number libphonenumber does not hold valid (an unassigned range, a fictional range such
/// as Ofcom's 07700 900xxx, a range opened after the metadata was published) is refused as
/// <see cref="PhoneNumberError.InvalidNationalNumber"/>; its region and class cannot be established, so no
/// profile can re-allow it. Upgrading the package brings newly assigned ranges in.
/// </remarks>
public static class PhoneNumberParser
{
    /// <summary>
    /// Fewest digits after '+': 6. E.164 sets only a maximum; the shortest numbers in libphonenumber's
    /// metadata are 4 national digits behind a 2-digit code (Austria +43), and its per-region lengths are
    /// stricter for everyone else. A test holds this bound at or below every region's shortest length.
    /// </summary>
    public const int MinDigits = 6;

    /// <summary>
    /// Most digits after '+': 15, the ITU-T E.164 maximum (libphonenumber's German and Indonesian
    /// plans allow longer national numbers, which no E.164 provider can dial).
    /// </summary>
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
        error = CheckSyntax(input, out var callingCode, out var callingCodeLength);
        if (error != PhoneNumberError.None)
        {
            return false;
        }

        error = CheckMetadata(input!, out var parsed);
        if (error != PhoneNumberError.None)
        {
            return false;
        }

        var (region, numberClass) = PhoneMetadata.Classify(parsed!);
        number = new PhoneNumber(input!, callingCode, callingCodeLength, region, numberClass);
        return true;
    }

    private static PhoneNumberError CheckSyntax(string? input, out int callingCode, out int callingCodeLength)
    {
        callingCode = 0;
        callingCodeLength = 0;
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
        return digits.Length < MinDigits ? PhoneNumberError.TooShort
            : digits.Length > MaxDigits ? PhoneNumberError.TooLong
            : !PhoneMetadata.TryMatchCallingCode(digits, out callingCode, out callingCodeLength) ? PhoneNumberError.UnknownCallingCode
            : PhoneNumberError.None;
    }

    /// <summary>Validity by the metadata, and why not; <paramref name="input"/> is already '+' and 6-15 digits under an assigned code.</summary>
    private static PhoneNumberError CheckMetadata(string input, out PhoneNumbers.PhoneNumber? parsed)
    {
        parsed = null;
        PhoneNumbers.PhoneNumber candidate;
        try
        {
            candidate = PhoneMetadata.Util.Parse(input, null);
        }
        catch (NumberParseException e)
        {
            return e.ErrorType == ErrorType.INVALID_COUNTRY_CODE ? PhoneNumberError.UnknownCallingCode : PhoneNumberError.WrongLengthForCountry;
        }

        // The parser strips a national trunk prefix written after the calling code (+44 07...); the canonical
        // form then differs from the input, and the input is not what would be checked, so it is refused.
        if (!string.Equals(PhoneMetadata.Util.Format(candidate, PhoneNumberFormat.E164), input, StringComparison.Ordinal))
        {
            return PhoneNumberError.InvalidNationalNumber;
        }

        // Validity decides; the length check only names the reason for a refusal. (A valid number may be
        // "possible locally only", such as Canada's 7-digit 310-XXXX universal access numbers.)
        if (!PhoneMetadata.Util.IsValidNumber(candidate))
        {
            return PhoneMetadata.Util.IsPossibleNumberWithReason(candidate) switch
            {
                PhoneNumberUtil.ValidationResult.IS_POSSIBLE => PhoneNumberError.InvalidNationalNumber,
                PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => PhoneNumberError.UnknownCallingCode,
                _ => PhoneNumberError.WrongLengthForCountry,
            };
        }

        parsed = candidate;
        return PhoneNumberError.None;
    }
}
