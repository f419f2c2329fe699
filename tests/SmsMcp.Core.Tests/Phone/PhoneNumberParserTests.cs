using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Tests.Phone;

public sealed class PhoneNumberParserTests
{
    public static TheoryData<string?, PhoneNumberError> RejectedInputs => new()
    {
        // Nothing there.
        { null, PhoneNumberError.Empty },
        { "", PhoneNumberError.Empty },
        { "   ", PhoneNumberError.Empty },
        { "\t\n", PhoneNumberError.Empty },

        // Human formats: separators, spacing, grouping.
        { "+1 202 555 0123", PhoneNumberError.InvalidCharacter },
        { "+1-202-555-0123", PhoneNumberError.InvalidCharacter },
        { "+1.202.555.0123", PhoneNumberError.InvalidCharacter },
        { "+1 (202) 555-0123", PhoneNumberError.InvalidCharacter },
        { "+1(202)5550123", PhoneNumberError.InvalidCharacter },
        { "+1/202/555/0123", PhoneNumberError.InvalidCharacter },
        { "+44 (0) 20 7946 0958", PhoneNumberError.InvalidCharacter },
        { "00 44 20 7946 0958", PhoneNumberError.InvalidCharacter },
        { "(202) 555-0123", PhoneNumberError.InvalidCharacter },
        { " +12025550123", PhoneNumberError.InvalidCharacter },
        { "+12025550123 ", PhoneNumberError.InvalidCharacter },
        { "+12025550123\n", PhoneNumberError.InvalidCharacter },
        { "+12025550123\0", PhoneNumberError.InvalidCharacter },

        // Letters, vanity numbers, URIs, extensions.
        { "+1800FLOWERS", PhoneNumberError.InvalidCharacter },
        { "+1-800-FLOWERS", PhoneNumberError.InvalidCharacter },
        { "+1202555O123", PhoneNumberError.InvalidCharacter },
        { "+120255501l3", PhoneNumberError.InvalidCharacter },
        { "tel:+12025550123", PhoneNumberError.InvalidCharacter },
        { "+12025550123 ext. 12", PhoneNumberError.InvalidCharacter },
        { "+12025550123ext12", PhoneNumberError.InvalidCharacter },
        { "+12025550123x12", PhoneNumberError.InvalidCharacter },
        { "+12025550123;ext=12", PhoneNumberError.InvalidCharacter },
        { "+12025550123,12", PhoneNumberError.InvalidCharacter },
        { "+12025550123#12", PhoneNumberError.InvalidCharacter },
        { "+12025550123*", PhoneNumberError.InvalidCharacter },

        // Pluses in the wrong place or look-alike pluses.
        { "++12025550123", PhoneNumberError.InvalidCharacter },
        { "+1+2025550123", PhoneNumberError.InvalidCharacter },
        { "+12025550123+", PhoneNumberError.InvalidCharacter },
        { "\uFF0B12025550123", PhoneNumberError.InvalidCharacter }, // fullwidth plus
        { "\u207A12025550123", PhoneNumberError.InvalidCharacter }, // superscript plus

        // Look-alike digits from other scripts.
        { "+\uFF11\uFF12\uFF10\uFF12\uFF15\uFF15\uFF15\uFF10\uFF11\uFF12\uFF13", PhoneNumberError.InvalidCharacter }, // fullwidth
        { "+1202555012\uFF13", PhoneNumberError.InvalidCharacter }, // one fullwidth digit at the end
        { "+\u0661\u0662\u0660\u0662\u0665\u0665\u0665\u0660\u0661\u0662\u0663", PhoneNumberError.InvalidCharacter }, // Arabic-Indic
        { "+\u06F1\u06F2\u06F0\u06F2\u06F5\u06F5\u06F5\u06F0\u06F1\u06F2\u06F3", PhoneNumberError.InvalidCharacter }, // Extended Arabic-Indic
        { "+\u0967\u0968\u0966\u0968\u096B\u096B\u096B\u0966\u0967\u0968\u0969", PhoneNumberError.InvalidCharacter }, // Devanagari
        { "+1\U0001D7D0025550123", PhoneNumberError.InvalidCharacter }, // mathematical bold 2 (surrogate pair)
        { "+1202555\u00B9123", PhoneNumberError.InvalidCharacter }, // superscript one

        // Invisible and direction characters.
        { "+12025550\u200B123", PhoneNumberError.InvalidCharacter }, // zero-width space
        { "+1202\u200D5550123", PhoneNumberError.InvalidCharacter }, // zero-width joiner
        { "\u200E+12025550123", PhoneNumberError.InvalidCharacter }, // left-to-right mark
        { "+12025550123\u200F", PhoneNumberError.InvalidCharacter }, // right-to-left mark
        { "\u202E+12025550123", PhoneNumberError.InvalidCharacter }, // right-to-left override
        { "+1202\u2066555\u20690123", PhoneNumberError.InvalidCharacter }, // isolates
        { "\uFEFF+12025550123", PhoneNumberError.InvalidCharacter }, // byte order mark
        { "+1202555\u00A00123", PhoneNumberError.InvalidCharacter }, // no-break space
        { "+1\u00AD2025550123", PhoneNumberError.InvalidCharacter }, // soft hyphen
        { "+1202555\u20110123", PhoneNumberError.InvalidCharacter }, // non-breaking hyphen

        // Digits only, but no '+': national formats and international access prefixes.
        { "12025550123", PhoneNumberError.MissingPlus },
        { "2025550123", PhoneNumberError.MissingPlus },
        { "00442079460958", PhoneNumberError.MissingPlus },
        { "011442079460958", PhoneNumberError.MissingPlus },
        { "07911123456", PhoneNumberError.MissingPlus },

        // Digit counts outside E.164.
        { "+", PhoneNumberError.TooShort },
        { "+1", PhoneNumberError.TooShort },
        { "+44123", PhoneNumberError.TooShort },
        { "+99912", PhoneNumberError.TooShort },
        { "+441234", PhoneNumberError.WrongLengthForCountry }, // 6 digits: long enough for E.164 (Iran's UAN +98 9601), too short for the UK
        { "+999123", PhoneNumberError.UnknownCallingCode },
        { "+1234567890123456", PhoneNumberError.TooLong },
        { "+44207946095812345678", PhoneNumberError.TooLong },
        { "+12025550123999999999999999999999999", PhoneNumberError.TooLong },

        // No assigned calling code.
        { "+0123456789", PhoneNumberError.UnknownCallingCode },
        { "+00442079460958", PhoneNumberError.UnknownCallingCode },
        { "+9991234567", PhoneNumberError.UnknownCallingCode },
        { "+9901234567", PhoneNumberError.UnknownCallingCode },
        { "+9971234567", PhoneNumberError.UnknownCallingCode },
        { "+9691234567", PhoneNumberError.UnknownCallingCode },
        { "+9781234567", PhoneNumberError.UnknownCallingCode },
        { "+2101234567", PhoneNumberError.UnknownCallingCode },
        { "+2801234567", PhoneNumberError.UnknownCallingCode },
        { "+4221234567", PhoneNumberError.UnknownCallingCode },
        { "+6711234567", PhoneNumberError.UnknownCallingCode }, // Guam's old code, now +1 671
        { "+8011234567", PhoneNumberError.UnknownCallingCode },
        { "+8731234567", PhoneNumberError.UnknownCallingCode }, // withdrawn Inmarsat ocean region
        { "+8991234567", PhoneNumberError.UnknownCallingCode },

        // Right shape, wrong length for the country.
        { "+1202555012", PhoneNumberError.WrongLengthForCountry },
        { "+120255501234", PhoneNumberError.WrongLengthForCountry },
        { "+3361234567", PhoneNumberError.WrongLengthForCountry },
        { "+336123456789", PhoneNumberError.WrongLengthForCountry },
        { "+91987654", PhoneNumberError.WrongLengthForCountry },
        { "+4915123", PhoneNumberError.InvalidNationalNumber }, // a length German fixed lines have, but no German number
        { "+91987654321", PhoneNumberError.InvalidNationalNumber }, // ditto for India
        { "+5215512345678", PhoneNumberError.WrongLengthForCountry }, // Mexico's retired mobile "1"
        { "+80012345", PhoneNumberError.WrongLengthForCountry },
        { "+800123456789", PhoneNumberError.WrongLengthForCountry },
        { "+4420794609581", PhoneNumberError.WrongLengthForCountry },

        // NANP structure.
        { "+10235550123", PhoneNumberError.InvalidNationalNumber }, // NPA starts with 0
        { "+11235550123", PhoneNumberError.InvalidNationalNumber }, // NPA starts with 1
        { "+12020550123", PhoneNumberError.InvalidNationalNumber }, // NXX starts with 0
        { "+12021550123", PhoneNumberError.InvalidNationalNumber }, // NXX starts with 1
        { "+14115550123", PhoneNumberError.InvalidNationalNumber }, // N11 service code
        { "+19115550123", PhoneNumberError.InvalidNationalNumber },
        { "+12925550123", PhoneNumberError.InvalidNationalNumber }, // N9X reserved
        { "+13745550123", PhoneNumberError.InvalidNationalNumber }, // 37X reserved
        { "+19655550123", PhoneNumberError.InvalidNationalNumber }, // 96X reserved
        { "+19765550123", PhoneNumberError.InvalidNationalNumber }, // 976: no assigned area code
        { "+18685550123", PhoneNumberError.InvalidNationalNumber }, // Trinidad's 555 exchange is not assigned
        { "+14415550123", PhoneNumberError.InvalidNationalNumber }, // nor Bermuda's

        // Valid-looking but unassigned or fictional ranges: fail closed, whatever a profile says.
        { "+447700900123", PhoneNumberError.InvalidNationalNumber }, // Ofcom's drama range
        { "+441481123456", PhoneNumberError.InvalidNationalNumber }, // Guernsey 01481 1xxxxx
        { "+88212345678", PhoneNumberError.InvalidNationalNumber },
        { "+6831234", PhoneNumberError.InvalidNationalNumber },

        // The national trunk prefix written after the calling code: libphonenumber would strip it, so what is
        // checked would not be what is sent.
        { "+4407911123456", PhoneNumberError.InvalidNationalNumber },
        { "+330612345678", PhoneNumberError.InvalidNationalNumber },
        { "+4903012345678", PhoneNumberError.InvalidNationalNumber },
    };

    public static TheoryData<string, int, string, NumberClass> AcceptedInputs => new()
    {
        // NANP: region by area code.
        { "+12025550123", 1, "US", NumberClass.Standard },
        { "+14155550123", 1, "US", NumberClass.Standard },
        { "+14165550123", 1, "CA", NumberClass.Standard },
        { "+16045550123", 1, "CA", NumberClass.Standard },
        { "+15145550123", 1, "CA", NumberClass.Standard },
        { "+18675550123", 1, "CA", NumberClass.Standard },
        { "+18765550123", 1, "JM", NumberClass.Standard },
        { "+16585550123", 1, "JM", NumberClass.Standard },
        { "+17875550123", 1, "PR", NumberClass.Standard },
        { "+19395550123", 1, "PR", NumberClass.Standard },
        { "+18095550123", 1, "DO", NumberClass.Standard },
        { "+18495550123", 1, "DO", NumberClass.Standard },
        { "+12423456789", 1, "BS", NumberClass.Standard },
        { "+12464123456", 1, "BB", NumberClass.Standard },
        { "+18682211234", 1, "TT", NumberClass.Standard },
        { "+14414123456", 1, "BM", NumberClass.Standard },
        { "+16715550123", 1, "GU", NumberClass.Standard },
        { "+13405550123", 1, "VI", NumberClass.Standard },

        // NANP special NPAs.
        { "+19005550123", 1, "US", NumberClass.NanpPremium },
        { "+18005550123", 1, "US", NumberClass.Freephone },
        { "+18885550123", 1, "US", NumberClass.Freephone },
        { "+15005550123", 1, "US", NumberClass.PersonalNumbering },

        // United Kingdom and the Crown Dependencies.
        { "+447400123456", 44, "GB", NumberClass.Standard },
        { "+442079460958", 44, "GB", NumberClass.Standard },
        { "+441481256789", 44, "GG", NumberClass.Standard },
        { "+447781123456", 44, "GG", NumberClass.Standard },
        { "+441534123456", 44, "JE", NumberClass.Standard },
        { "+447700300123", 44, "JE", NumberClass.Standard },
        { "+441624756789", 44, "IM", NumberClass.Standard },
        { "+447624123456", 44, "IM", NumberClass.Standard },
        { "+449098765432", 44, "GB", NumberClass.Premium },
        { "+448001234567", 44, "GB", NumberClass.Freephone },
        { "+448712345678", 44, "GB", NumberClass.Premium }, // Ofcom's 0871 "service charge": premium in libphonenumber
        { "+445612345678", 44, "GB", NumberClass.Voip },
        { "+447012345678", 44, "GB", NumberClass.PersonalNumbering },

        // Europe.
        { "+4930123456789", 49, "DE", NumberClass.Standard },
        { "+4915123456789", 49, "DE", NumberClass.Standard },
        { "+499001234567", 49, "DE", NumberClass.Premium },
        { "+491801234567", 49, "DE", NumberClass.SharedCost },
        { "+33612345678", 33, "FR", NumberClass.Standard },
        { "+33899123456", 33, "FR", NumberClass.Premium },
        { "+34612345678", 34, "ES", NumberClass.Standard },
        { "+34806123456", 34, "ES", NumberClass.Premium },
        { "+390612345678", 39, "IT", NumberClass.Standard },
        { "+393123456789", 39, "IT", NumberClass.Standard },
        { "+390669812345", 39, "VA", NumberClass.Standard },
        { "+31612345678", 31, "NL", NumberClass.Standard },
        { "+353851234567", 353, "IE", NumberClass.Standard },
        { "+35818123456", 358, "AX", NumberClass.Standard },
        { "+358401234567", 358, "FI", NumberClass.Standard },
        { "+4779123456", 47, "SJ", NumberClass.Standard },
        { "+4791234567", 47, "NO", NumberClass.Standard },

        // Elsewhere.
        { "+61412345678", 61, "AU", NumberClass.Standard },
        { "+61291234567", 61, "AU", NumberClass.Standard },
        { "+919876543210", 91, "IN", NumberClass.Standard },
        { "+819012345678", 81, "JP", NumberClass.Standard },
        { "+81570123456", 81, "JP", NumberClass.Uan },
        { "+5511912345678", 55, "BR", NumberClass.Standard },
        { "+525512345678", 52, "MX", NumberClass.Standard },
        { "+27821234567", 27, "ZA", NumberClass.Standard },
        { "+2348031234567", 234, "NG", NumberClass.Standard },
        { "+2347001234567", 234, "NG", NumberClass.Uan },
        { "+79123456789", 7, "RU", NumberClass.Standard },
        { "+77011234567", 7, "KZ", NumberClass.Standard },
        { "+262262123456", 262, "RE", NumberClass.Standard },
        { "+262639012345", 262, "YT", NumberClass.Standard },
        { "+6837012", 683, "NU", NumberClass.Standard },
        { "+989601", 98, "IR", NumberClass.Uan }, // shortest accepted: 6 digits
        { "+61891621234", 61, "CC", NumberClass.Standard },
        { "+61891641234", 61, "CX", NumberClass.Standard },
        { "+590590201234", 590, "GP", NumberClass.Standard },
        { "+590590271234", 590, "BL", NumberClass.Standard },

        // Non-geographic codes.
        { "+80012345678", 800, "001", NumberClass.Freephone },
        { "+80812345678", 808, "001", NumberClass.SharedCost },
        { "+870773123456", 870, "001", NumberClass.Satellite },
        { "+881612345678", 881, "001", NumberClass.Satellite },
        { "+8823421234", 882, "001", NumberClass.InternationalNetwork },
        { "+883510012345", 883, "001", NumberClass.InternationalNetwork }, // libphonenumber's type: VOIP
        { "+870301234567", 870, "001", NumberClass.Satellite }, // libphonenumber's type: MOBILE
        { "+88812345678901", 888, "001", NumberClass.GlobalService },
        { "+979123456789", 979, "001", NumberClass.Premium },
        { "+878101234567890", 878, "001", NumberClass.GlobalService }, // longest accepted: 15 digits
    };

    [Theory]
    [MemberData(nameof(RejectedInputs))]
    public void MalformedOrUnassignedInput_IsRejectedWithItsReason(string? input, PhoneNumberError expected)
    {
        var parsed = PhoneNumberParser.TryParse(input, out var number, out var error);

        Assert.False(parsed);
        Assert.Null(number);
        Assert.Equal(expected, error);
    }

    [Theory]
    [MemberData(nameof(AcceptedInputs))]
    public void CanonicalNumber_ParsesWithCodeRegionAndClass(string input, int callingCode, string region, NumberClass numberClass)
    {
        var parsed = PhoneNumberParser.TryParse(input, out var number, out var error);

        Assert.True(parsed);
        Assert.Equal(PhoneNumberError.None, error);
        Assert.NotNull(number);
        Assert.Equal(input, number.E164);
        Assert.Equal(callingCode, number.CountryCallingCode);
        Assert.Equal(region, number.Region);
        Assert.Equal(numberClass, number.Class);
    }

    [Theory]
    [InlineData("+12025550123", "+1 ********23")]
    [InlineData("+447400123456", "+44 ********56")]
    [InlineData("+80012345678", "+800 ******78")]
    [InlineData("+6837012", "+683 **12")]
    [InlineData("+989601", "+98 **01")]
    public void Masked_ShowsOnlyCallingCodeAndLastTwoDigits(string input, string masked)
    {
        Assert.True(PhoneNumberParser.TryParse(input, out var number, out _));

        Assert.Equal(masked, number.Masked);
    }

    [Fact]
    public void ToString_AndRecordPrintout_ShowTheMaskedNumberOnly()
    {
        Assert.True(PhoneNumberParser.TryParse("+12025550123", out var number, out _));

        Assert.Equal(number.Masked, number.ToString());
        Assert.DoesNotContain("2025550123", $"{number}", StringComparison.Ordinal);
        Assert.DoesNotContain("2025550123", new { Number = number }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SameNumber_ParsedTwice_IsEqual()
    {
        Assert.True(PhoneNumberParser.TryParse("+447400123456", out var first, out _));
        Assert.True(PhoneNumberParser.TryParse("+447400123456", out var second, out _));

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void EveryError_HasADistinctDescriptionWithoutDigitsOfTheInput()
    {
        const string input = "+19876543210";
        var descriptions = Enum.GetValues<PhoneNumberError>().Select(e => e.Describe()).ToList();

        Assert.All(descriptions, d => Assert.False(string.IsNullOrWhiteSpace(d)));
        Assert.Equal(descriptions.Count, descriptions.Distinct(StringComparer.Ordinal).Count());
        Assert.All(descriptions, d => Assert.DoesNotContain(input[1..5], d, StringComparison.Ordinal));
    }
}
