namespace SmsMcp.Core.Phone;

/// <summary>Sentences that explain a <see cref="PhoneNumberError"/> to a caller (or a model) without repeating the input.</summary>
public static class PhoneNumberErrorExtensions
{
    /// <summary>A short, input-free explanation of <paramref name="error"/> that says how to fix it.</summary>
    public static string Describe(this PhoneNumberError error) => error switch
    {
        PhoneNumberError.None => "The number is valid E.164.",
        PhoneNumberError.Empty => "No phone number was given.",
        PhoneNumberError.InvalidCharacter =>
            "The number may contain only '+' followed by ASCII digits 0-9: no spaces, separators, letters or extensions.",
        PhoneNumberError.MissingPlus => "The number must start with '+' and the country calling code (E.164), not a national or 00 prefix.",
        PhoneNumberError.TooShort => $"An E.164 number has at least {PhoneNumberParser.MinDigits} digits after the '+'.",
        PhoneNumberError.TooLong => $"An E.164 number has at most {PhoneNumberParser.MaxDigits} digits after the '+'.",
        PhoneNumberError.UnknownCallingCode => "The number does not start with an assigned country calling code.",
        PhoneNumberError.WrongLengthForCountry => "The number has the wrong number of digits for its country.",
        PhoneNumberError.InvalidNationalNumber =>
            "The number is not a valid number in its country's numbering plan (an unassigned or fictional range, or a trunk prefix such as 0 after the calling code).",
        _ => "The number is not valid E.164.",
    };
}
