using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using PhoneNumbers;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Tests.Phone;

public sealed class PhoneNumberParserPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2_000);

    // What a strict E.164 parser may accept, written independently of the parser.
    private static readonly Regex CanonicalE164 = new("^\\+[1-9][0-9]{5,14}$", RegexOptions.CultureInvariant);

    /// <summary>Every example number libphonenumber has, of every region and type.</summary>
    private static readonly string[] ValidNumbers = [.. ExampleNumbers.All.Select(e => e.E164)];

    /// <summary>Digits of other scripts that look or parse like ASCII ones (char.IsDigit is true for all of them).</summary>
    private static readonly string[] UnicodeZeros = ["\uFF10", "\u0660", "\u06F0", "\u0966", "\u09E6", "\u0E50", "\u1040", "\uA8D0"];

    // Characters that an agent, a copy-paste or an attacker may slip into a number.
    private static readonly char[] Intruders =
    [
        ' ', '-', '.', '(', ')', '/', '+', 'x', 'e', 'O', 'l', '#', '*', ',', ';', ':', '\t', '\n', '\0',
        '\u00A0', '\u00AD', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066',
        '\uFEFF', '\u2011', '\u2212', '\uFF0B', '\uFF10', '\uFF15', '\u0660', '\u0665', '\u06F5', '\u0966',
        '\u00B2', '\u2070', '\uD835', '\uDFD0',
    ];

    private static void Verify(Property property) => Check.One(Config, property);

    [Fact]
    public void AnyInput_ParsesOnlyWhenCanonicalAndNeverThrows()
    {
        var alphabet = Gen.Elements("0123456789+ -()\u200B\uFF11\u0661a".ToCharArray());
        var inputs = Gen.OneOf(
                alphabet.ArrayOf().Select(cs => new string(cs)),
                Gen.Elements(ValidNumbers),
                ArbMap.Default.ArbFor<string>().Generator)
            .ToArbitrary();

        Verify(Prop.ForAll(inputs, input =>
        {
            var parsed = PhoneNumberParser.TryParse(input, out var number, out var error);
            return parsed
                ? number is not null && number.E164 == input && error == PhoneNumberError.None && CanonicalE164.IsMatch(input!)
                : number is null && error != PhoneNumberError.None;
        }));
    }

    [Fact]
    public void ValidNumber_WithAnyCharacterInsertedAnywhere_IsInvalidCharacter()
    {
        var cases = (from number in Gen.Elements(ValidNumbers)
                     from position in Gen.Choose(0, number.Length)
                     from intruder in Gen.Elements(Intruders)
                     select number.Insert(position, intruder.ToString()))
            .ToArbitrary();

        Verify(Prop.ForAll(cases, input =>
            !PhoneNumberParser.TryParse(input, out _, out var error) && error == PhoneNumberError.InvalidCharacter)
            );
    }

    [Fact]
    public void ExampleNumber_WithAUnicodeDigitInPlaceOfAnyDigit_IsInvalidCharacter()
    {
        var cases = (from number in Gen.Elements(ValidNumbers)
                     from position in Gen.Choose(1, number.Length - 1)
                     from zero in Gen.Elements(UnicodeZeros)
                     select number[..position] + (char)(zero[0] + (number[position] - '0')) + number[(position + 1)..])
            .ToArbitrary();

        Verify(Prop.ForAll(cases, input =>
            !PhoneNumberParser.TryParse(input, out _, out var error) && error == PhoneNumberError.InvalidCharacter));
    }

    [Fact]
    public void ExampleNumber_InAnyHumanFormat_IsRefused()
    {
        // libphonenumber's own renderings: "+44 20 7946 0958", "020 7946 0958", "tel:+44-20-7946-0958", and from the US "011 44 ...".
        var formats = new[] { PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.NATIONAL, PhoneNumberFormat.RFC3966 };
        var cases = (from example in Gen.Elements(ExampleNumbers.All.ToArray())
                     from format in Gen.Elements(formats)
                     select ExampleNumbers.Format(example, format))
            .ToArbitrary();

        Verify(Prop.ForAll(cases, input => !PhoneNumberParser.TryParse(input, out _, out _)));
    }

    [Fact]
    public void ExampleNumber_WrittenNationally_OrWithAnAccessPrefix_IsRefused()
    {
        // Digits only, but not E.164: the national number, the national number behind its trunk prefix, the
        // international number behind 00 or 011, the trunk prefix kept after the calling code (+44 0...).
        var withPrefix = ExampleNumbers.All.Where(e => ExampleNumbers.NationalPrefix(e) is not null).ToArray();
        var cases = Gen.OneOf(
                Gen.Elements(ValidNumbers).Select(n => (Input: n[1..], Expected: (PhoneNumberError?)PhoneNumberError.MissingPlus)),
                Gen.Elements(ValidNumbers).Select(n => (Input: "00" + n[1..], Expected: (PhoneNumberError?)PhoneNumberError.MissingPlus)),
                Gen.Elements(ValidNumbers).Select(n => (Input: "011" + n[1..], Expected: (PhoneNumberError?)PhoneNumberError.MissingPlus)),
                Gen.Elements(withPrefix).Select(e => (Input: ExampleNumbers.NationalPrefix(e) + ExampleNumbers.National(e), Expected: (PhoneNumberError?)PhoneNumberError.MissingPlus)),
                Gen.Elements(withPrefix).Select(e => (Input: $"+{e.CallingCode}{ExampleNumbers.NationalPrefix(e)}{ExampleNumbers.National(e)}", Expected: (PhoneNumberError?)null)))
            .ToArbitrary();

        // The trunk-prefix form must be refused; it may be refused as too long, unknown length or invalid, but never parse.
        Verify(Prop.ForAll(cases, c =>
            !PhoneNumberParser.TryParse(c.Input, out _, out var error) && (c.Expected is null || error == c.Expected)));
    }

    [Fact]
    public void NanpNumber_GetsTheRegionOfItsAreaCode()
    {
        // A hand-picked sample of area codes, kept apart from libphonenumber so a wrong region shows up here.
        // US and Canadian numbers are valid for any exchange 200-999; elsewhere the exchange is one in use.
        var areaCodes = new (string Npa, string Exchange, string Region)[]
        {
            ("212", "", "US"), ("305", "", "US"), ("907", "", "US"), ("808", "", "US"), ("416", "", "CA"), ("514", "", "CA"),
            ("403", "", "CA"), ("902", "", "CA"), ("876", "555", "JM"), ("787", "555", "PR"), ("809", "555", "DO"),
            ("242", "345", "BS"), ("441", "412", "BM"), ("345", "222", "KY"), ("284", "229", "VG"), ("340", "642", "VI"),
            ("670", "234", "MP"), ("684", "622", "AS"), ("721", "542", "SX"), ("868", "221", "TT"),
        };
        var cases = (from area in Gen.Elements(areaCodes)
                     from exchange in area.Exchange.Length == 0 ? Gen.Choose(200, 999) : Gen.Constant(int.Parse(area.Exchange, System.Globalization.CultureInfo.InvariantCulture))
                     from line in Gen.Choose(0, 9999)
                     select (Input: $"+1{area.Npa}{exchange:D3}{line:D4}", area.Region))
            .ToArbitrary();

        Verify(Prop.ForAll(cases, c =>
            PhoneNumberParser.TryParse(c.Input, out var number, out _) && number.Region == c.Region && number.CountryCallingCode == 1)
            );
    }

    [Fact]
    public void Masked_RevealsOnlyTheCallingCodeAndTheLastTwoDigits()
    {
        // Calling code, fixed leading national digits that keep the number valid, national length.
        var shapes = new (string Code, string Lead, int Length)[]
        {
            ("1", "20255", 10), ("44", "7400", 10), ("33", "61", 9), ("49", "151", 11), ("800", "1", 8), ("353", "85", 9), ("683", "8884", 7),
        };
        var cases = (from shape in Gen.Elements(shapes)
                     from rest in Gen.Choose(0, 9).ArrayOf(shape.Length - shape.Lead.Length)
                     select (shape.Code, National: shape.Lead + string.Concat(rest)))
            .ToArbitrary();

        Verify(Prop.ForAll(cases, c =>
        {
            var input = $"+{c.Code}{c.National}";
            var expected = $"+{c.Code} {new string('*', c.National.Length - 2)}{c.National[^2..]}";
            return PhoneNumberParser.TryParse(input, out var number, out _)
                && number.Masked == expected
                && number.ToString() == expected;
        }));
    }
}
