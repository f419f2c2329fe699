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

    /// <summary>No calling code in libphonenumber's metadata starts the number (this includes a leading 0).</summary>
    UnknownCallingCode,

    /// <summary>The national part is shorter or longer than the region's numbering plan allows (libphonenumber's possible lengths).</summary>
    WrongLengthForCountry,

    /// <summary>
    /// The national part has a length the region allows but is not a valid number there by libphonenumber's
    /// metadata (an unassigned, reserved or fictional range, such as NANP N11 area codes or Ofcom's drama
    /// numbers), or it repeats the national trunk prefix after the calling code (+44 07...).
    /// </summary>
    InvalidNationalNumber,
}
