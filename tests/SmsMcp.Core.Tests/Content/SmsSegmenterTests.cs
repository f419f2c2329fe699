using SmsMcp.Core.Content;

namespace SmsMcp.Core.Tests.Content;

public sealed class SmsSegmenterTests
{
    private const string Emoji = "\U0001F600"; // 😀, one surrogate pair
    private const string Cyrillic = "ж";       // BMP, outside GSM-7

    private static string Gsm(int count) => new('a', count);

    private static string Ucs(int count) => string.Concat(Enumerable.Repeat(Cyrillic, count));

    public static TheoryData<string, SmsEncoding, int, int> Bodies => new()
    {
        // Empty and tiny.
        { "", SmsEncoding.Gsm7, 0, 0 },
        { "Hello", SmsEncoding.Gsm7, 1, 5 },
        { "@", SmsEncoding.Gsm7, 1, 1 },
        { "\r\n", SmsEncoding.Gsm7, 1, 2 },

        // GSM-7 single/concatenated limits.
        { Gsm(160), SmsEncoding.Gsm7, 1, 160 },
        { Gsm(161), SmsEncoding.Gsm7, 2, 161 },
        { Gsm(306), SmsEncoding.Gsm7, 2, 306 },
        { Gsm(307), SmsEncoding.Gsm7, 3, 307 },
        { Gsm(459), SmsEncoding.Gsm7, 3, 459 },
        { Gsm(460), SmsEncoding.Gsm7, 4, 460 },

        // Extension table: two septets each.
        { "€", SmsEncoding.Gsm7, 1, 2 },
        { "^{}\\[~]|€\f", SmsEncoding.Gsm7, 1, 20 },
        { Gsm(158) + "€", SmsEncoding.Gsm7, 1, 160 },
        { Gsm(159) + "€", SmsEncoding.Gsm7, 2, 161 },
        { Gsm(159) + "{", SmsEncoding.Gsm7, 2, 161 },
        { new string('€', 80), SmsEncoding.Gsm7, 1, 160 },
        { new string('€', 81), SmsEncoding.Gsm7, 2, 162 },

        // An escape pair never straddles two parts: 152 + [€] + 152 is 306 septets but three parts.
        { Gsm(152) + "€" + Gsm(152), SmsEncoding.Gsm7, 3, 306 },
        { Gsm(151) + "€" + Gsm(153), SmsEncoding.Gsm7, 2, 306 },
        { Gsm(152) + "[" + Gsm(1), SmsEncoding.Gsm7, 1, 155 },
        { Gsm(152) + "[" + Gsm(7), SmsEncoding.Gsm7, 2, 161 },
        { Gsm(305) + "~", SmsEncoding.Gsm7, 3, 307 },
        { new string('{', 153), SmsEncoding.Gsm7, 3, 306 },

        // GSM-7 characters that look exotic but are in the default alphabet.
        { "Café à Paris £5 ¥ § ¿¡ ÄÖÑÜäöñü", SmsEncoding.Gsm7, 1, 31 },
        { "ΔΦΓΛΩΠΨΣΘΞ", SmsEncoding.Gsm7, 1, 10 },
        { "Ç ÆæßÉ ØøÅå ¤", SmsEncoding.Gsm7, 1, 13 },

        // One character outside GSM-7 turns the whole body into UCS-2.
        { "ç", SmsEncoding.Ucs2, 1, 1 },
        { "naïve", SmsEncoding.Ucs2, 1, 5 },
        { "It’s", SmsEncoding.Ucs2, 1, 4 },
        { "a—b", SmsEncoding.Ucs2, 1, 3 },
        { "α", SmsEncoding.Ucs2, 1, 1 },
        { "`", SmsEncoding.Ucs2, 1, 1 },
        { "tab\there", SmsEncoding.Ucs2, 1, 8 },
        { "\u001B", SmsEncoding.Ucs2, 1, 1 },
        { Gsm(159) + "ç", SmsEncoding.Ucs2, 3, 160 },
        { "€ç", SmsEncoding.Ucs2, 1, 2 },

        // UCS-2 single/concatenated limits.
        { Ucs(70), SmsEncoding.Ucs2, 1, 70 },
        { Ucs(71), SmsEncoding.Ucs2, 2, 71 },
        { Ucs(134), SmsEncoding.Ucs2, 2, 134 },
        { Ucs(135), SmsEncoding.Ucs2, 3, 135 },

        // Surrogate pairs: two units, never split.
        { Emoji, SmsEncoding.Ucs2, 1, 2 },
        { string.Concat(Enumerable.Repeat(Emoji, 35)), SmsEncoding.Ucs2, 1, 70 },
        { string.Concat(Enumerable.Repeat(Emoji, 36)), SmsEncoding.Ucs2, 2, 72 },
        { Ucs(69) + Emoji, SmsEncoding.Ucs2, 2, 71 },
        { Ucs(66) + Emoji + Ucs(66), SmsEncoding.Ucs2, 3, 134 },
        { Ucs(65) + Emoji + Ucs(67), SmsEncoding.Ucs2, 2, 134 },
        { "\U0001F44D\U0001F3FD", SmsEncoding.Ucs2, 1, 4 },
        { "\uD83D", SmsEncoding.Ucs2, 1, 1 },
        { Ucs(66) + "\uD83D" + Ucs(67), SmsEncoding.Ucs2, 2, 134 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Body_HasExpectedEncodingSegmentsAndUnits(string body, SmsEncoding encoding, int segments, int units)
    {
        var result = SmsSegmenter.Analyze(body);

        Assert.Equal(new SmsSegmentation(encoding, segments, units), result);
    }

    [Fact]
    public void NullBody_Throws() => Assert.Throws<ArgumentNullException>(() => SmsSegmenter.Analyze(null!));

    [Fact]
    public void EveryCharOutsideTheTables_IsUcs2()
    {
        const string gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        const string extension = "\f^{}\\[~]|€";

        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var expected = gsm.Contains(c, StringComparison.Ordinal) ? 1 : extension.Contains(c, StringComparison.Ordinal) ? 2 : 0;
            var result = SmsSegmenter.Analyze(c.ToString());
            Assert.Equal(expected == 0 ? SmsEncoding.Ucs2 : SmsEncoding.Gsm7, result.Encoding);
            Assert.Equal(expected == 0 ? 1 : expected, result.Units);
        }
    }
}
