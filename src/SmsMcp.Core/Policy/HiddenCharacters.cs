using System.Globalization;
using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Policy;

/// <summary>
/// Finds characters that hide or reorder text: bidi overrides and isolates (the "Trojan Source" trick),
/// zero-width and other format characters (Cf), control characters (Cc) other than \n \r \t, line and
/// paragraph separators, private-use and unassigned code points, lone surrogates, tag characters and the
/// blank "filler" letters that render as nothing. A zero-width joiner between two emoji (family and
/// profession emoji) is the one exception, because it is how those emoji are spelled.
/// </summary>
public static class HiddenCharacters
{
    /// <summary>The first refusal for <paramref name="body"/>, or null when it holds no hidden characters.</summary>
    public static Refusal? Find(string body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (IsBidiControl(c))
            {
                return Refusal.BidiControl;
            }

            if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(body, i);
                if (IsHidden(category))
                {
                    return Refusal.InvisibleCharacters;
                }

                i++;
                continue;
            }

            if (c == '\u200D' && IsEmojiJoin(body, i))
            {
                continue;
            }

            if (IsHidden(CharUnicodeInfo.GetUnicodeCategory(c)) || IsFiller(c))
            {
                return Refusal.InvisibleCharacters;
            }
        }

        return null;
    }

    /// <summary>LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, and the marks LRM, RLM and ALM.</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static bool IsHidden(UnicodeCategory category) => category is UnicodeCategory.Format or UnicodeCategory.Control
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;

    /// <summary>Letters and marks that draw nothing: Hangul fillers, braille blank, combining grapheme joiner, Khmer inherent vowels, Mongolian selectors.</summary>
    private static bool IsFiller(char c) => c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800' or '\u034F' or '\u17B4' or '\u17B5'
        or (>= '\u180B' and <= '\u180F');

    private static bool IsEmojiJoin(string body, int i) =>
        i > 0 && i + 1 < body.Length
        && (char.IsLowSurrogate(body[i - 1]) || body[i - 1] == '\uFE0F' || CharUnicodeInfo.GetUnicodeCategory(body[i - 1]) == UnicodeCategory.OtherSymbol)
        && (char.IsHighSurrogate(body[i + 1]) || CharUnicodeInfo.GetUnicodeCategory(body[i + 1]) == UnicodeCategory.OtherSymbol);
}
