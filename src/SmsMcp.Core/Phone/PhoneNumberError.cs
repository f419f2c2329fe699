namespace SmsMcp.Core.Phone;

/// <summary>
/// Why <see cref="PhoneNumberParser"/> refused an input. The values are stable and safe to show: they
/// never carry the input itself. When several apply, the first in declaration order (after
/// <see cref="None"/>) is reported.
/// </summary>
public enum PhoneNumberError
{
    /// <summary>The input parsed.</summary>
    None,

    /// <summary>Null, empty or only white space.</summary>
    Empty,

    /// <summary>
    /// A character other than an ASCII digit, or a '+' anywhere but first: spaces, separators, letters,
    /// extensions, look-alike digits (fullwidth, Arabic-Indic, ...), look-alike pluses, invisible or
    /// direction marks.
    /// </summary>
    InvalidCharacter,

    /// <summary>Only ASCII digits, but no leading '+' (national format, or an international access prefix such as 00 or 011).</summary>
    MissingPlus,

    /// <summary>Fewer than <see cref="PhoneNumberParser.MinDigits"/> digits after the '+'.</summary>
    TooShort,

    /// <summary>More than <see cref="PhoneNumberParser.MaxDigits"/> digits after the '+' (the E.164 maximum).</summary>
    TooLong,

    /// <summary>No assigned country calling code starts the number (this includes a leading 0).</summary>
    UnknownCallingCode,

    /// <summary>The national part is shorter or longer than the country's numbering plan allows.</summary>
    WrongLengthForCountry,

    /// <summary>
    /// The national part has the right length but breaks the plan's structure: in the NANP, an area
    /// code or exchange starting with 0 or 1, an N11 area code, or a reserved area code (N9X, 37X, 96X).
    /// </summary>
    InvalidNationalNumber,
}
