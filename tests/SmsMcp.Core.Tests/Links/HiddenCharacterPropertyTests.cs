using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Vocabulary;

namespace SmsMcp.Core.Tests.Links;

/// <summary>
/// Hidden characters over whole code-point ranges: every default-ignorable code point (as Node's Unicode data knows
/// them) and every variation selector outside an emoji is refused wherever it stands; a presentation selector
/// after an emoji passes.
/// </summary>
public sealed class HiddenCharacterPropertyTests
{
    private static readonly string[] Letters = ["a", "Z", "ж", "日", "é", "ب", "1", " ", ".", "!"];

    [Fact]
    public async Task DefaultIgnorableTable_MatchesNodesUnicodeData_AndEveryOneIsRefusedAfterALetter()
    {
        var fromNode = await NodeDefaultIgnorablesAsync();
        Assert.True(fromNode.Count > 4000, $"{fromNode.Count} code points");
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            Assert.True(fromNode.Contains(cp) == HiddenCharacters.IsDefaultIgnorable(cp), $"U+{cp:X4}");
            if (fromNode.Contains(cp))
            {
                Assert.True(HiddenCharacters.Find("ab" + char.ConvertFromUtf32(cp) + "cd") is not null, $"U+{cp:X4} after a letter");
            }
        }
    }

    [Fact]
    public void EveryVariationSelector_AfterEveryLetterOrDigitOrPunctuation_IsRefused()
    {
        var selectors = Enumerable.Range(0xFE00, 16).Concat(Enumerable.Range(0xE0100, 0xF0)).Select(char.ConvertFromUtf32).ToList();
        foreach (var before in Letters)
        {
            foreach (var selector in selectors)
            {
                Assert.Equal(Refusal.InvisibleCharacters, HiddenCharacters.Find("Hi " + before + selector + " there"));
            }
        }
    }

    [Fact]
    public void PresentationSelector_AfterEverySymbolEmoji_OrInAKeycap_Passes_ButASecondOneIsRefused()
    {
        var emoji = Enumerable.Range(0x1F300, 0x300).Concat(Enumerable.Range(0x2600, 0x100))
            .Where(cp => CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.OtherSymbol).Select(char.ConvertFromUtf32).ToList();
        Assert.True(emoji.Count > 700);
        foreach (var e in emoji)
        {
            Assert.Null(HiddenCharacters.Find("I " + e + "\uFE0F you " + e + "\uFE0E"));
            Assert.Equal(Refusal.InvisibleCharacters, HiddenCharacters.Find("I " + e + "\uFE0F\uFE0F you"));
            Assert.Equal(Refusal.InvisibleCharacters, HiddenCharacters.Find("I " + e + "\U000E0101 you"));
        }

        foreach (var key in "0123456789#*")
        {
            Assert.Null(HiddenCharacters.Find($"Press {key}\uFE0F\u20E3 now"));
            Assert.Equal(Refusal.InvisibleCharacters, HiddenCharacters.Find($"Press {key}\uFE0F now"));
        }

        Assert.Null(HiddenCharacters.Find("Flag 🏳️‍🌈, eye 👁️‍🗨️, heart ❤️‍🔥, coder 👩🏽‍💻, ‼️ ⁉️ ℹ️ ↔️ 〰️ ©️ ®️ ™️"));
    }

    [Fact]
    public void HiddenPayload_InterleavedAnywhere_IsRefused() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(
            (from text in Gen.Elements("Hello there", "日本語のテキスト", "Привет", "Family 👨‍👩‍👧 ❤️", "a", "")
             from hidden in Gen.OneOf(Gen.Choose(0xFE00, 0xFE0D), Gen.Choose(0xE0100, 0xE01EF), Gen.Choose(0xE0000, 0xE007F),
                 Gen.Elements(0x00AD, 0x034F, 0x061C, 0x115F, 0x17B4, 0x180B, 0x180E, 0x200B, 0x200C, 0x2060, 0x2064, 0x3164, 0xFEFF, 0xFFA0, 0x1BCA0, 0x1D173))
             from count in Gen.Choose(1, 6)
             from at in Gen.Choose(0, 100)
             let cut = Cut(text, at)
             select text[..cut] + string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(hidden), count)) + text[cut..]).ToArbitrary(),
            body => HiddenCharacters.Find(body) is not null));

    /// <summary>A cut point that does not split a surrogate pair.</summary>
    private static int Cut(string text, int at)
    {
        var cut = text.Length == 0 ? 0 : at % (text.Length + 1);
        return cut > 0 && cut < text.Length && char.IsLowSurrogate(text[cut]) ? cut - 1 : cut;
    }

    private static async Task<HashSet<int>> NodeDefaultIgnorablesAsync()
    {
        var info = new ProcessStartInfo(Peers.Node) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add("const o=[];for(let c=0;c<=0x10FFFF;c++){if(c>=0xD800&&c<=0xDFFF)continue;if(/\\p{Default_Ignorable_Code_Point}/u.test(String.fromCodePoint(c)))o.push(c)}console.log(o.join(','))");
        using var process = Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return [.. text.Trim().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
    }
}
