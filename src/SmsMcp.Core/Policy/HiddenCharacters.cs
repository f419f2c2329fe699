using System.Buffers;
using System.Globalization;
using System.Text;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Finds characters that hide or reorder text: bidi overrides and isolates (the "Trojan Source" trick), every
/// default-ignorable code point (zero-width characters, variation selectors, fillers, tags — what a renderer may
/// draw as nothing, so a message can smuggle a payload in them), format (Cf) and control (Cc, other than \n \r \t)
/// characters, line and paragraph separators, private-use and unassigned code points, lone surrogates, and the
/// braille blank. Two exceptions keep emoji working, because they are how emoji are spelled: a zero-width joiner
/// between two emoji, and one presentation selector (U+FE0E text, U+FE0F emoji) right after an emoji or inside a
/// keycap (<c>1</c> U+FE0F U+20E3).
/// </summary>
public static class HiddenCharacters
{
    private const int Zwj = 0x200D;
    private const int TextSelector = 0xFE0E;
    private const int EmojiSelector = 0xFE0F;
    private const int Keycap = 0x20E3;

    /// <summary>
    /// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 17), which .NET does not
    /// expose. Ranges are inclusive; the tests compare it with Node's <c>\p{Default_Ignorable_Code_Point}</c> over every code point.
    /// </summary>
    private static readonly (int First, int Last)[] DefaultIgnorable =
    [
        (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
        (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
    ];

    /// <summary>
    /// Emoji (Extended_Pictographic) whose general category is not So, so the category test misses them:
    /// ‼ ⁉ ℹ ↔ ◻ ◼ ◽ ◾ ⤴ ⤵ 〰 〽.
    /// </summary>
    private static readonly int[] EmojiOutsideOtherSymbol = [0x203C, 0x2049, 0x2139, 0x2194, 0x25FB, 0x25FC, 0x25FD, 0x25FE, 0x2934, 0x2935, 0x3030, 0x303D];

    /// <summary>The first refusal for <paramref name="body"/>, or null when it holds no hidden characters.</summary>
    public static Refusal? Find(string body)
    {
        var previous = -1;
        for (var i = 0; i < body.Length;)
        {
            if (Rune.DecodeFromUtf16(body.AsSpan(i), out var rune, out var length) != OperationStatus.Done)
            {
                return Refusal.InvisibleCharacters; // a lone surrogate
            }

            var next = i + length < body.Length && Rune.DecodeFromUtf16(body.AsSpan(i + length), out var n, out _) == OperationStatus.Done ? n.Value : -1;
            if (Judge(rune, previous, next) is { } refusal)
            {
                return refusal;
            }

            previous = rune.Value;
            i += length;
        }

        return null;
    }

    /// <summary>LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, and the marks LRM, RLM and ALM.</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    /// <summary>A code point of Unicode's Default_Ignorable_Code_Point property.</summary>
    public static bool IsDefaultIgnorable(int codePoint)
    {
        foreach (var (first, last) in DefaultIgnorable)
        {
            if (codePoint >= first && codePoint <= last)
            {
                return true;
            }
        }

        return false;
    }

    private static Refusal? Judge(Rune rune, int previous, int next)
    {
        var value = rune.Value;
        if (value is '\n' or '\r' or '\t')
        {
            return null;
        }

        if (value <= char.MaxValue && IsBidiControl((char)value))
        {
            return Refusal.BidiControl;
        }

        // Before a joiner may stand an emoji's selector or skin-tone modifier (astral, Sk), so any astral code point counts.
        if (value == Zwj && (IsEmoji(previous) || previous is EmojiSelector or > char.MaxValue) && (IsEmoji(next) || next > char.MaxValue))
        {
            return null;
        }

        if (value is TextSelector or EmojiSelector && (IsEmoji(previous) || IsKeycapBase(previous) && next == Keycap))
        {
            return null;
        }

        return IsDefaultIgnorable(value) || IsHidden(Rune.GetUnicodeCategory(rune)) || value == 0x2800
            ? Refusal.InvisibleCharacters
            : null;
    }

    private static bool IsHidden(UnicodeCategory category) => category is UnicodeCategory.Format or UnicodeCategory.Control
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;

    /// <summary>
    /// An emoji a selector or joiner may follow: a symbol (So — pictographs, dingbats, ©, ®, ™, flags' letters) or one
    /// of the few emoji of another category. A selector after a non-emoji symbol (─ U+FE0F) passes too: one such
    /// selector per symbol carries almost nothing, and telling them apart needs the emoji data .NET lacks.
    /// </summary>
    private static bool IsEmoji(int codePoint) =>
        codePoint >= 0 && Rune.IsValid(codePoint)
        && (Rune.GetUnicodeCategory(new Rune(codePoint)) == UnicodeCategory.OtherSymbol || Array.IndexOf(EmojiOutsideOtherSymbol, codePoint) >= 0);

    private static bool IsKeycapBase(int codePoint) => codePoint is (>= '0' and <= '9') or '#' or '*';
}
