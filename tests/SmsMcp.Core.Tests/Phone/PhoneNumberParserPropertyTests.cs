using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Tests.Phone;

public sealed class PhoneNumberParserPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2_000);

    // What a strict E.164 parser may accept, written independently of the parser.
    private static readonly Regex CanonicalE164 = new("^\\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant);

    private static readonly string[] ValidNumbers =
    [
        "+12025550123", "+14165550123", "+18765550123", "+447700900123", "+4915123456789",
        "+33612345678", "+61412345678", "+919876543210", "+80012345678", "+881612345678",
    ];

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
    public void NanpNumber_GetsTheRegionOfItsAreaCode()
    {
        // A hand-picked sample, kept apart from the data file so a wrong row shows up here.
        var areaCodes = new (string Npa, string Region)[]
        {
            ("212", "US"), ("305", "US"), ("907", "US"), ("808", "US"), ("416", "CA"), ("514", "CA"), ("403", "CA"),
            ("902", "CA"), ("876", "JM"), ("787", "PR"), ("809", "DO"), ("242", "BS"), ("441", "BM"), ("345", "KY"),
            ("284", "VG"), ("340", "VI"), ("670", "MP"), ("684", "AS"), ("721", "SX"), ("868", "TT"),
        };
        var cases = (from area in Gen.Elements(areaCodes)
                     from exchange in Gen.Choose(200, 999)
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
            ("1", "20255", 10), ("44", "7700", 10), ("33", "6", 9), ("49", "151", 11), ("800", "1", 8), ("353", "85", 9), ("683", "4", 4),
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
