using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Content;

namespace SmsMcp.Core.Tests.Content;

public sealed class SmsSegmenterPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(3_000);

    // Pieces weighted towards the boundaries that matter: plain GSM, escape pairs, BMP non-GSM, surrogate pairs.
    private static readonly string[] GsmPieces = ["a", "Z", "0", " ", "@", "£", "Δ", "é", "\n", "§"];
    private static readonly string[] ExtensionPieces = ["€", "{", "}", "[", "]", "\\", "^", "~", "|", "\f"];
    private static readonly string[] Ucs2Pieces = ["ж", "ç", "’", "—", "α", "\t", "\u001B", "中"];
    private static readonly string[] AstralPieces = ["\U0001F600", "\U0001F44D", "\U0001D7D0", "\uD83D"];

    private static void Verify(Property property) => Check.One(Config, property);

    private static Arbitrary<string> Bodies(params (int Weight, string[] Pieces)[] pools) =>
        Gen.Sized(size => Gen.Frequency(pools.Select(p => (p.Weight, Gen.Elements(p.Pieces))))
                .ArrayOf()
                .Resize(size * 4)
                .Select(string.Concat))
            .ToArbitrary();

    [Fact]
    public void GsmBodies_MatchTheReferenceEncoder()
    {
        var bodies = Bodies((6, GsmPieces), (2, ExtensionPieces));

        Verify(Prop.ForAll(bodies, body => SmsSegmenter.Analyze(body) == Reference.Analyze(body)));
    }

    [Fact]
    public void MixedBodies_MatchTheReferenceEncoder()
    {
        var bodies = Bodies((5, GsmPieces), (2, ExtensionPieces), (1, Ucs2Pieces), (1, AstralPieces));

        Verify(Prop.ForAll(bodies, body => SmsSegmenter.Analyze(body) == Reference.Analyze(body)));
    }

    [Fact]
    public void Segments_NeverFewerThanThePlainCeilingNorMoreThanEachUnitAlone()
    {
        var bodies = Bodies((5, GsmPieces), (3, ExtensionPieces), (1, Ucs2Pieces), (2, AstralPieces));

        Verify(Prop.ForAll(bodies, body =>
        {
            var result = SmsSegmenter.Analyze(body);
            var (single, part) = result.Encoding == SmsEncoding.Gsm7 ? (160, 153) : (70, 67);
            var ceiling = result.Units == 0 ? 0 : result.Units <= single ? 1 : (result.Units + part - 1) / part;
            return result.Segments >= ceiling && result.Segments <= Math.Max(ceiling, (result.Units + part - 2) / (part - 1));
        }));
    }

    /// <summary>
    /// An independent model: encode the body into real GSM 03.38 septets (ESC 0x1B + code for the
    /// extension table) or UTF-16 units, then cut the stream into parts, stepping back one unit when a
    /// cut would separate ESC from its character or a high surrogate from its low surrogate.
    /// </summary>
    private static class Reference
    {
        private const int Escape = 0x1B;

        // Unicode code points of GSM 03.38 default alphabet positions 0x00-0x7F (unicode.org GSM0338 mapping); -1 marks ESC.
        private static readonly int[] DefaultAlphabet =
        [
            0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
            0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3, 0x0398, 0x039E, -1, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
            0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
            0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
            0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
            0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
            0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
            0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
        ];

        // Extension table: septet after ESC -> code point.
        private static readonly Dictionary<int, int> ExtensionTable = new()
        {
            [0x0A] = 0x000C, [0x14] = 0x005E, [0x28] = 0x007B, [0x29] = 0x007D, [0x2F] = 0x005C,
            [0x3C] = 0x005B, [0x3D] = 0x007E, [0x3E] = 0x005D, [0x40] = 0x007C, [0x65] = 0x20AC,
        };

        public static SmsSegmentation Analyze(string body)
        {
            var septets = new List<int>();
            foreach (var c in body)
            {
                var basic = Array.IndexOf(DefaultAlphabet, c);
                if (basic >= 0)
                {
                    septets.Add(basic);
                    continue;
                }

                var extension = ExtensionTable.FirstOrDefault(e => e.Value == c, new KeyValuePair<int, int>(-1, -1));
                if (extension.Key < 0)
                {
                    return Split(SmsEncoding.Ucs2, body.Length, 70, 67, end => char.IsHighSurrogate(body[end - 1]) && char.IsLowSurrogate(body[end]));
                }

                septets.Add(Escape);
                septets.Add(extension.Key);
            }

            return Split(SmsEncoding.Gsm7, septets.Count, 160, 153, end => septets[end - 1] == Escape);
        }

        private static SmsSegmentation Split(SmsEncoding encoding, int units, int single, int part, Func<int, bool> cutsAPair)
        {
            if (units == 0 || units <= single)
            {
                return new SmsSegmentation(encoding, units == 0 ? 0 : 1, units);
            }

            var segments = 0;
            for (var start = 0; start < units; segments++)
            {
                var end = Math.Min(start + part, units);
                if (end < units && cutsAPair(end))
                {
                    end--;
                }

                start = end;
            }

            return new SmsSegmentation(encoding, segments, units);
        }
    }
}
