using PhoneNumbers;
using SmsMcp.Core.Phone;
using Xunit.Abstractions;

namespace SmsMcp.Core.Tests.Phone;

/// <summary>
/// The parser over every example number libphonenumber has, in every region and of every type: a valid number
/// is never refused as malformed, a special-rate one never comes out as an ordinary one, and regions that share
/// a calling code are told apart. Counts go to the test output.
/// </summary>
public sealed class ExampleNumberTests(ITestOutputHelper output)
{
    private static readonly PhoneNumberType[] SpecialTypes =
    [
        PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.PERSONAL_NUMBER,
        PhoneNumberType.UAN, PhoneNumberType.PAGER, PhoneNumberType.VOICEMAIL,
    ];

    /// <summary>The class each type must get, written out here rather than taken from the code under test.</summary>
    private static NumberClass Expected(ExampleNumber example) => (example.CallingCode, example.Type) switch
    {
        (870 or 881, _) => NumberClass.Satellite,
        (882 or 883, _) => NumberClass.InternationalNetwork,
        (_, PhoneNumberType.TOLL_FREE) => NumberClass.Freephone,
        (_, PhoneNumberType.SHARED_COST) => NumberClass.SharedCost,
        (1, PhoneNumberType.PREMIUM_RATE) => NumberClass.NanpPremium,
        (_, PhoneNumberType.PREMIUM_RATE) => NumberClass.Premium,
        _ when example.Region == "001" => NumberClass.GlobalService,
        (_, PhoneNumberType.FIXED_LINE or PhoneNumberType.MOBILE) => NumberClass.Standard,
        (_, PhoneNumberType.PERSONAL_NUMBER) => NumberClass.PersonalNumbering,
        (_, PhoneNumberType.UAN) => NumberClass.Uan,
        (_, PhoneNumberType.PAGER) => NumberClass.Pager,
        (_, PhoneNumberType.VOICEMAIL) => NumberClass.Voicemail,
        (_, PhoneNumberType.VOIP) => NumberClass.Voip,
        _ => throw new InvalidOperationException($"no expectation for {example}"),
    };

    [Fact]
    public void LibraryExamples_CoverEveryRegionAndType()
    {
        var all = ExampleNumbers.All;
        output.WriteLine($"regions: {ExampleNumbers.Regions.Count}, non-geographic codes: {ExampleNumbers.NonGeographicCodes.Count} ({string.Join(", ", ExampleNumbers.NonGeographicCodes)}), examples: {all.Count}");
        foreach (var group in all.GroupBy(e => e.Type).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {group.Key}: {group.Count()} ({group.Count(e => e.Region == "001")} non-geographic)");
        }

        // Guards against an enumeration that silently finds nothing.
        Assert.True(ExampleNumbers.Regions.Count >= 240);
        Assert.Contains(870, ExampleNumbers.NonGeographicCodes);
        Assert.Contains(883, ExampleNumbers.NonGeographicCodes);
        Assert.True(all.Count >= 1_100);
        Assert.All(ExampleNumbers.Types, t => Assert.Contains(all, e => e.Type == t));
        Assert.All(ExampleNumbers.Regions, r => Assert.Contains(all, e => e.Region == r));
    }

    [Fact]
    public void EveryExample_ParsesAsItself_NeverAsMalformed()
    {
        var failures = ExampleNumbers.All
            .Select(e => (Example: e, Parsed: PhoneNumberParser.TryParse(e.E164, out var n, out var error), Number: n, Error: error))
            .Where(r => !r.Parsed || r.Number!.E164 != r.Example.E164 || r.Number.CountryCallingCode != r.Example.CallingCode)
            .Select(r => $"{r.Example}: {r.Error}")
            .ToList();

        Assert.Empty(failures);
    }

    [Fact]
    public void EveryExample_GetsTheClassOfItsType()
    {
        var failures = new List<string>();
        foreach (var example in ExampleNumbers.All)
        {
            Assert.True(PhoneNumberParser.TryParse(example.E164, out var number, out _));
            if (number.Class != Expected(example))
            {
                failures.Add($"{example}: {number.Class}, expected {Expected(example)}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void SpecialRateAndNonGeographicExamples_NeverComeOutOrdinary()
    {
        var special = ExampleNumbers.All.Where(e => SpecialTypes.Contains(e.Type) || e.Region == "001").ToList();
        output.WriteLine($"special-rate or non-geographic examples: {special.Count}");

        Assert.NotEmpty(special);
        Assert.All(special, e =>
        {
            Assert.True(PhoneNumberParser.TryParse(e.E164, out var number, out _));
            Assert.DoesNotContain(number.Class, new[] { NumberClass.Standard, NumberClass.Voip });
        });
    }

    [Fact]
    public void SharedCallingCodes_EachExampleLandsInItsRegion_OrOneWhereTheSameNumberIsEquallyValid()
    {
        int exact = 0, elsewhere = 0;
        var failures = new List<string>();
        foreach (var example in ExampleNumbers.All.Where(e => e.Region != "001"))
        {
            Assert.True(PhoneNumberParser.TryParse(example.E164, out var number, out _));
            if (number.Region == example.Region)
            {
                exact++;
            }
            else if (ExampleNumbers.SharingRegions.Contains(example.Region)
                && ExampleNumbers.RegionsOf(example.CallingCode).Contains(number.Region)
                && ExampleNumbers.IsValidIn(example.E164, number.Region))
            {
                // Same calling code, and the number is valid there too (an Australian mobile is also a Christmas Island one).
                elsewhere++;
            }
            else
            {
                failures.Add($"{example}: {number.Region}");
            }
        }

        output.WriteLine($"geographic examples in their own region: {exact}; valid in an earlier region of a shared code: {elsewhere}; sharing regions: {ExampleNumbers.SharingRegions.Count}");
        Assert.Empty(failures);

        // Each sharing region's own fixed-line example (where it has one of its own) is told apart from the main country's.
        var distinct = ExampleNumbers.OfType(PhoneNumberType.FIXED_LINE).Where(e => ExampleNumbers.SharingRegions.Contains(e.Region)).ToList();
        var own = distinct.Count(e => PhoneNumberParser.TryParse(e.E164, out var n, out _) && n.Region == e.Region);
        output.WriteLine($"sharing regions whose fixed-line example is detected as themselves: {own} of {distinct.Count}");
        Assert.True(own >= distinct.Count - 5, $"only {own} of {distinct.Count}");
    }

    [Theory]
    [InlineData("+12025550123", "US")]
    [InlineData("+14165550123", "CA")]
    [InlineData("+18765550123", "JM")]
    [InlineData("+17875550123", "PR")]
    [InlineData("+441481256789", "GG")]
    [InlineData("+441534456789", "JE")]
    [InlineData("+441624756789", "IM")]
    [InlineData("+442079460958", "GB")]
    [InlineData("+77123456789", "KZ")]
    [InlineData("+79161234567", "RU")]
    [InlineData("+590590201234", "GP")]
    [InlineData("+590590271234", "BL")]
    [InlineData("+61891621234", "CC")]
    [InlineData("+61891641234", "CX")]
    [InlineData("+61291234567", "AU")]
    [InlineData("+262269601234", "YT")]
    [InlineData("+262262123456", "RE")]
    [InlineData("+358181234567", "AX")]
    [InlineData("+4779123456", "SJ")]
    [InlineData("+390669812345", "VA")]
    [InlineData("+2908999", "TA")]
    public void SharedCallingCode_NumberGetsItsOwnRegion(string e164, string region)
    {
        Assert.True(PhoneNumberParser.TryParse(e164, out var number, out _));
        Assert.Equal(region, number.Region);
    }

    [Fact]
    public void E164Bounds_RefuseNoLengthTheMetadataAllows()
    {
        var util = PhoneNumberUtil.GetInstance();
        foreach (var code in util.GetSupportedCallingCodes())
        {
            var region = util.GetRegionCodeForCountryCode(code);
            var metadata = region == "001" ? util.GetMetadataForNonGeographicalRegion(code) : util.GetMetadataForRegion(region);
            var shortest = code.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + metadata.GeneralDesc.PossibleLengthList.Min();
            Assert.True(shortest >= PhoneNumberParser.MinDigits, $"+{code} allows {shortest} digits");
        }

        Assert.All(ExampleNumbers.All, e => Assert.InRange(e.E164.Length - 1, PhoneNumberParser.MinDigits, PhoneNumberParser.MaxDigits));
    }
}
