using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SmsMcp.Core.Phone;

/// <summary>
/// The ITU-T E.164 country calling codes and the ranges inside them, kept as data in two embedded
/// files: <c>Phone/calling-codes.csv</c> (code, region, national lengths, class) and
/// <c>Phone/number-ranges.csv</c> (prefixes that belong to another region — Canada and the Caribbean
/// on +1, the Crown Dependencies on +44, ... — or that are special-rate). Both files name their sources.
/// The tables are read and checked once, on first use, and are immutable afterwards; a malformed file
/// fails type initialisation rather than yielding a partial table.
/// </summary>
public static class CallingCodes
{
    internal const string CodesResourceName = "SmsMcp.Core.Phone.calling-codes.csv";
    internal const string RangesResourceName = "SmsMcp.Core.Phone.number-ranges.csv";

    private static readonly FrozenDictionary<int, CallingCode> Codes = LoadCodes();
    private static readonly FrozenDictionary<string, NumberRange> RangesByPrefix = LoadRanges(Codes);
    private static readonly FrozenDictionary<string, NumberRange>.AlternateLookup<ReadOnlySpan<char>> RangeLookup =
        RangesByPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly int LongestRangePrefix = RangesByPrefix.Keys.Select(p => p.Length).DefaultIfEmpty(0).Max();

    /// <summary>Every assigned calling code in the table.</summary>
    public static IReadOnlyCollection<CallingCode> All => Codes.Values;

    /// <summary>Every range in the range table.</summary>
    public static IReadOnlyCollection<NumberRange> Ranges => RangesByPrefix.Values;

    /// <summary>The entry for <paramref name="code"/>, or null when the code is not assigned.</summary>
    public static CallingCode? Get(int code) => Codes.GetValueOrDefault(code);

    /// <summary>
    /// Finds the calling code that starts <paramref name="digits"/> (the E.164 digits after '+').
    /// Calling codes are prefix-free, so at most one of the 1-, 2- and 3-digit prefixes matches.
    /// </summary>
    public static bool TryMatch(ReadOnlySpan<char> digits, [NotNullWhen(true)] out CallingCode? callingCode)
    {
        var value = 0;
        for (var length = 1; length <= 3 && length <= digits.Length && char.IsAsciiDigit(digits[length - 1]) && digits[0] != '0'; length++)
        {
            value = (value * 10) + (digits[length - 1] - '0');
            if (Codes.TryGetValue(value, out callingCode))
            {
                return true;
            }
        }

        callingCode = null;
        return false;
    }

    /// <summary>
    /// The region and class of a number under <paramref name="callingCode"/>: the longest range
    /// prefix that names a region decides the region, the longest that names a class decides the class;
    /// otherwise the calling code's own.
    /// </summary>
    internal static (string Region, NumberClass Class) Classify(CallingCode callingCode, ReadOnlySpan<char> digits)
    {
        string? region = null;
        NumberClass? numberClass = null;
        for (var length = Math.Min(digits.Length, LongestRangePrefix); length > callingCode.Length; length--)
        {
            if (RangeLookup.TryGetValue(digits[..length], out var range))
            {
                region ??= range.Region;
                numberClass ??= range.Class;
                if (region is not null && numberClass is not null)
                {
                    break;
                }
            }
        }

        return (region ?? callingCode.Region, numberClass ?? callingCode.Class);
    }

    /// <summary>Reads and checks a calling-code table; throws <see cref="InvalidDataException"/> naming the line at fault.</summary>
    internal static FrozenDictionary<int, CallingCode> ParseCodes(TextReader reader, string source)
    {
        var codes = new Dictionary<int, CallingCode>();
        foreach (var (line, fields) in ReadCsv(reader, source, "code,region,min,max,class", 5))
        {
            var text = fields[0];
            if (text.Length is < 1 or > 3 || !IsDigits(text) || text[0] == '0')
            {
                throw Bad(source, line, "code must be 1-3 digits, not starting with 0");
            }

            var code = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            var region = fields[1];
            if (!IsRegion(region))
            {
                throw Bad(source, line, "region must be ISO 3166-1 alpha-2 or 001");
            }

            var numberClass = ParseClass(fields[4], source, line);
            if (numberClass == NumberClass.NanpPremium)
            {
                throw Bad(source, line, "NanpPremium belongs to NANP ranges, not to a calling code");
            }

            var lengthsKnown = fields[2].Length > 0 || fields[3].Length > 0;
            var min = fields[2].Length == 0 ? Math.Max(1, PhoneNumberParser.MinDigits - text.Length) : ParseLength(fields[2], source, line);
            var max = fields[3].Length == 0 ? PhoneNumberParser.MaxDigits - text.Length : ParseLength(fields[3], source, line);
            if (min > max || text.Length + max > PhoneNumberParser.MaxDigits || text.Length + min < PhoneNumberParser.MinDigits)
            {
                throw Bad(source, line, "national lengths must satisfy min <= max within the E.164 bounds");
            }

            if (!codes.TryAdd(code, new CallingCode(code, region, min, max, numberClass, lengthsKnown)))
            {
                throw Bad(source, line, "duplicate code");
            }
        }

        // Longest-prefix matching is only unambiguous if no code is a prefix of another (E.164 guarantees it; the file must too).
        foreach (var code in codes.Keys)
        {
            if ((code >= 10 && codes.ContainsKey(code / 10)) || (code >= 100 && codes.ContainsKey(code / 100)))
            {
                throw new InvalidDataException($"{source}: code {code} has an assigned code as its prefix.");
            }
        }

        return codes.ToFrozenDictionary();
    }

    /// <summary>Reads and checks a range table against <paramref name="codes"/>; throws <see cref="InvalidDataException"/> naming the line at fault.</summary>
    internal static FrozenDictionary<string, NumberRange> ParseRanges(TextReader reader, string source, IReadOnlyDictionary<int, CallingCode> codes)
    {
        var ranges = new Dictionary<string, NumberRange>(StringComparer.Ordinal);
        foreach (var (line, fields) in ReadCsv(reader, source, "prefix,region,class", 3))
        {
            var prefix = fields[0];
            if (prefix.Length is < 2 or > PhoneNumberParser.MaxDigits || !IsDigits(prefix))
            {
                throw Bad(source, line, "prefix must be 2-15 digits");
            }

            // Match against the table given, not Codes: this also runs while Codes is being initialised.
            var callingCode = Enumerable.Range(1, 3)
                .Where(n => n < prefix.Length)
                .Select(n => codes.GetValueOrDefault(int.Parse(prefix.AsSpan(0, n), NumberStyles.None, CultureInfo.InvariantCulture)))
                .FirstOrDefault(c => c is not null)
                ?? throw Bad(source, line, "prefix must start with an assigned calling code and be longer than it");

            string? region = fields[1].Length == 0 ? null : fields[1];
            if (region is not null && (!IsRegion(region) || region == CallingCode.NonGeographicRegion))
            {
                throw Bad(source, line, "region must be ISO 3166-1 alpha-2");
            }

            NumberClass? numberClass = fields[2].Length == 0 ? null : ParseClass(fields[2], source, line);
            if (region is null && numberClass is null)
            {
                throw Bad(source, line, "a range must set a region, a class or both");
            }

            if (numberClass == NumberClass.NanpPremium && callingCode.Code != 1)
            {
                throw Bad(source, line, "NanpPremium applies to +1 only");
            }

            if (!ranges.TryAdd(prefix, new NumberRange(prefix, region, numberClass)))
            {
                throw Bad(source, line, "duplicate prefix");
            }
        }

        return ranges.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<int, CallingCode> LoadCodes()
    {
        using var reader = OpenResource(CodesResourceName);
        return ParseCodes(reader, CodesResourceName);
    }

    private static FrozenDictionary<string, NumberRange> LoadRanges(FrozenDictionary<int, CallingCode> codes)
    {
        using var reader = OpenResource(RangesResourceName);
        return ParseRanges(reader, RangesResourceName, codes);
    }

    private static StreamReader OpenResource(string resourceName) =>
        new(typeof(CallingCodes).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidDataException($"Embedded resource {resourceName} is missing."));

    private static List<(int Line, string[] Fields)> ReadCsv(TextReader reader, string source, string header, int columns)
    {
        var lineNumber = 0;
        var sawHeader = false;
        var rows = new List<(int Line, string[] Fields)>();
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var text = raw.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (!sawHeader)
            {
                if (!string.Equals(text, header, StringComparison.Ordinal))
                {
                    throw Bad(source, lineNumber, $"expected the header '{header}'");
                }

                sawHeader = true;
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != columns)
            {
                throw Bad(source, lineNumber, $"expected {columns} columns");
            }

            rows.Add((lineNumber, fields.Select(f => f.Trim()).ToArray()));
        }

        return sawHeader ? rows : throw new InvalidDataException($"{source}: no header line.");
    }

    private static NumberClass ParseClass(string text, string source, int line) =>
        Enum.TryParse<NumberClass>(text, ignoreCase: false, out var value) && Enum.IsDefined(value) && !IsDigits(text)
            ? value
            : throw Bad(source, line, "unknown class");

    private static int ParseLength(string text, string source, int line) =>
        text.Length is 1 or 2 && IsDigits(text)
            ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : throw Bad(source, line, "length must be a number");

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static bool IsRegion(string text) =>
        text == CallingCode.NonGeographicRegion || (text.Length == 2 && char.IsAsciiLetterUpper(text[0]) && char.IsAsciiLetterUpper(text[1]));

    private static InvalidDataException Bad(string source, int line, string problem) =>
        new($"{source} line {line}: {problem}.");
}
