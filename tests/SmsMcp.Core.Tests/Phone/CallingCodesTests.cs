using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Tests.Phone;

public sealed class CallingCodesTests
{
    private const string CodesHeader = "code,region,min,max,class\n";
    private const string RangesHeader = "prefix,region,class\n";

    [Fact]
    public void Table_CoversTheAssignedCodes()
    {
        // ~210 geographic codes plus the non-geographic ones; a truncated file would fall well short.
        Assert.InRange(CallingCodes.All.Count, 200, 260);
        Assert.All(CallingCodes.All, c => Assert.InRange(c.Code, 1, 999));
    }

    [Fact]
    public void Codes_ArePrefixFree()
    {
        var codes = CallingCodes.All.Select(c => c.Code.ToString()).ToList();

        foreach (var code in codes)
        {
            Assert.DoesNotContain(codes, other => other != code && code.StartsWith(other, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(1, "US", 10, 10)]
    [InlineData(44, "GB", 7, 10)]
    [InlineData(49, "DE", 6, 13)]
    [InlineData(33, "FR", 9, 9)]
    [InlineData(34, "ES", 9, 9)]
    [InlineData(39, "IT", 6, 11)]
    [InlineData(31, "NL", 7, 10)]
    [InlineData(353, "IE", 7, 9)]
    [InlineData(61, "AU", 9, 10)]
    [InlineData(91, "IN", 10, 10)]
    [InlineData(81, "JP", 9, 10)]
    [InlineData(55, "BR", 10, 11)]
    [InlineData(52, "MX", 10, 10)]
    [InlineData(27, "ZA", 9, 9)]
    [InlineData(234, "NG", 8, 10)]
    public void MainCountries_HaveTheirNationalLengths(int code, string region, int min, int max)
    {
        var entry = CallingCodes.Get(code);

        Assert.NotNull(entry);
        Assert.Equal(region, entry.Region);
        Assert.Equal((min, max), (entry.MinNationalLength, entry.MaxNationalLength));
        Assert.True(entry.LengthsKnown);
    }

    [Theory]
    [InlineData(800, NumberClass.Freephone)]
    [InlineData(808, NumberClass.SharedCost)]
    [InlineData(870, NumberClass.Satellite)]
    [InlineData(881, NumberClass.Satellite)]
    [InlineData(882, NumberClass.InternationalNetwork)]
    [InlineData(883, NumberClass.InternationalNetwork)]
    [InlineData(979, NumberClass.Premium)]
    public void NonGeographicCodes_AreWorldRegionWithTheirClass(int code, NumberClass numberClass)
    {
        var entry = CallingCodes.Get(code);

        Assert.NotNull(entry);
        Assert.Equal(CallingCode.NonGeographicRegion, entry.Region);
        Assert.Equal(numberClass, entry.Class);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(990)]
    [InlineData(997)]
    [InlineData(969)]
    [InlineData(978)]
    [InlineData(210)]
    [InlineData(259)]
    [InlineData(388)]
    [InlineData(671)]
    [InlineData(684)]
    [InlineData(801)]
    [InlineData(871)]
    [InlineData(875)]
    [InlineData(893)]
    public void UnassignedCodes_AreAbsent(int code) => Assert.Null(CallingCodes.Get(code));

    [Fact]
    public void UnknownLengths_FallBackToTheE164Bounds()
    {
        var somalia = CallingCodes.Get(252);

        Assert.NotNull(somalia);
        Assert.False(somalia.LengthsKnown);
        Assert.Equal(PhoneNumberParser.MinDigits - 3, somalia.MinNationalLength);
        Assert.Equal(PhoneNumberParser.MaxDigits - 3, somalia.MaxNationalLength);
    }

    [Fact]
    public void Geographic_RegionsAreTwoUppercaseLetters()
    {
        Assert.All(CallingCodes.All.Where(c => c.Region != CallingCode.NonGeographicRegion),
            c => Assert.Matches("^[A-Z]{2}$", c.Region));
        Assert.All(CallingCodes.Ranges.Where(r => r.Region is not null), r => Assert.Matches("^[A-Z]{2}$", r.Region!));
    }

    [Fact]
    public void Ranges_StartWithTheirCallingCodeAndAreLongerThanIt()
    {
        Assert.All(CallingCodes.Ranges, range =>
        {
            Assert.True(CallingCodes.TryMatch(range.Prefix, out var code));
            Assert.True(range.Prefix.Length > code.Length);
        });
    }

    [Fact]
    public void NanpRanges_AreWholeAreaCodes()
    {
        var nanp = CallingCodes.Ranges.Where(r => r.Prefix[0] == '1').ToList();

        Assert.All(nanp, r => Assert.Equal(4, r.Prefix.Length));
        Assert.Contains(nanp, r => r.Prefix == "1900" && r.Class == NumberClass.NanpPremium);
        Assert.Contains(nanp, r => r.Prefix == "1976" && r.Class == NumberClass.NanpPremium);
        Assert.DoesNotContain(CallingCodes.Ranges, r => r.Class == NumberClass.NanpPremium && r.Prefix[0] != '1');
    }

    [Theory]
    [InlineData(CallingCodes.CodesResourceName)]
    [InlineData(CallingCodes.RangesResourceName)]
    public void DataFiles_AreEmbeddedAndNameTheirSource(string resourceName)
    {
        using var stream = typeof(CallingCodes).Assembly.GetManifestResourceStream(resourceName);
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        Assert.Contains("Source", text, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("#", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("12025550123", 1)]
    [InlineData("442079460958", 44)]
    [InlineData("3531234", 353)]
    [InlineData("80012345678", 800)]
    public void TryMatch_FindsTheOnlyMatchingCode(string digits, int expected)
    {
        Assert.True(CallingCodes.TryMatch(digits, out var code));
        Assert.Equal(expected, code.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("044")]
    [InlineData("999")]
    [InlineData("28")]
    public void TryMatch_WithoutAssignedCode_Fails(string digits)
    {
        Assert.False(CallingCodes.TryMatch(digits, out var code));
        Assert.Null(code);
    }

    [Fact]
    public void Assembly_HasNoOtherPhoneResources()
    {
        var names = typeof(CallingCodes).Assembly.GetManifestResourceNames().Where(n => n.Contains(".Phone.", StringComparison.Ordinal));

        Assert.Equal([CallingCodes.CodesResourceName, CallingCodes.RangesResourceName], names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("1,US,10,10,Standard\n", "expected the header")]
    [InlineData("# only a comment\n", "no header")]
    [InlineData(CodesHeader + "1,US,10,10\n", "line 2")]
    [InlineData(CodesHeader + "1,US,10,10,Standard\n1,CA,10,10,Standard\n", "duplicate code")]
    [InlineData(CodesHeader + "4,XX,,,Standard\n44,GB,7,10,Standard\n", "prefix")]
    [InlineData(CodesHeader + "044,GB,7,10,Standard\n", "code must be")]
    [InlineData(CodesHeader + "1234,GB,7,10,Standard\n", "code must be")]
    [InlineData(CodesHeader + "44,gb,7,10,Standard\n", "region")]
    [InlineData(CodesHeader + "44,GBR,7,10,Standard\n", "region")]
    [InlineData(CodesHeader + "44,GB,7,10,Cheap\n", "unknown class")]
    [InlineData(CodesHeader + "44,GB,7,10,NanpPremium\n", "NanpPremium")]
    [InlineData(CodesHeader + "44,GB,10,7,Standard\n", "national lengths")]
    [InlineData(CodesHeader + "44,GB,7,14,Standard\n", "national lengths")]
    [InlineData(CodesHeader + "44,GB,x,10,Standard\n", "length must be")]
    public void MalformedCodeTable_IsRefusedNamingTheProblem(string csv, string problem)
    {
        var ex = Assert.Throws<InvalidDataException>(() => CallingCodes.ParseCodes(new StringReader(csv), "test.csv"));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.csv", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RangesHeader + "1204,CA\n", "columns")]
    [InlineData(RangesHeader + "1204,CA,\n1204,US,\n", "duplicate prefix")]
    [InlineData(RangesHeader + "999123,XY,\n", "assigned calling code")]
    [InlineData(RangesHeader + "44,GG,\n", "assigned calling code")]
    [InlineData(RangesHeader + "12x4,CA,\n", "digits")]
    [InlineData(RangesHeader + "1204,,\n", "region, a class or both")]
    [InlineData(RangesHeader + "1204,001,\n", "region")]
    [InlineData(RangesHeader + "449,,NanpPremium\n", "+1 only")]
    [InlineData(RangesHeader + "449,,Expensive\n", "unknown class")]
    public void MalformedRangeTable_IsRefusedNamingTheProblem(string csv, string problem)
    {
        var codes = CallingCodes.ParseCodes(new StringReader(CodesHeader + "1,US,10,10,Standard\n44,GB,7,10,Standard\n"), "codes.csv");

        var ex = Assert.Throws<InvalidDataException>(() => CallingCodes.ParseRanges(new StringReader(csv), "test.csv", codes));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedTables_ParseWithCommentsBlankLinesAndDefaults()
    {
        var codes = CallingCodes.ParseCodes(
            new StringReader("# source: test\n\n" + CodesHeader + "1,US,10,10,Standard\n# comment\n252,SO,,,Standard\n800,001,8,8,Freephone\n"),
            "codes.csv");
        var ranges = CallingCodes.ParseRanges(new StringReader(RangesHeader + "1416,CA,\n1900,,NanpPremium\n"), "ranges.csv", codes);

        Assert.Equal(3, codes.Count);
        Assert.Equal(new CallingCode(252, "SO", 4, 12, NumberClass.Standard, LengthsKnown: false), codes[252]);
        Assert.Equal(new NumberRange("1416", "CA", null), ranges["1416"]);
        Assert.Equal(new NumberRange("1900", null, NumberClass.NanpPremium), ranges["1900"]);
    }
}
