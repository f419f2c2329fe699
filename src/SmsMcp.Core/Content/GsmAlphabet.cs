namespace SmsMcp.Core.Content;

/// <summary>The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table, as septet costs.</summary>
internal static class GsmAlphabet
{
    /// <summary>The 128 characters of the default alphabet, in code order; ESC (0x1B) is left out because it cannot be sent as text.</summary>
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ" + "ÆæßÉ" +
        " !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
        "¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>Characters reached through the escape code, so two septets each.</summary>
    private const string Extension = "\f^{}\\[~]|€";

    // Every character of both tables is below U+0400 except '€'.
    private const int TableSize = 0x400;

    private static readonly byte[] Costs = BuildCosts();

    /// <summary>Septets <paramref name="c"/> takes in GSM-7: 1, 2 (extension table) or 0 when GSM-7 cannot carry it.</summary>
    public static int SeptetCost(char c) => c < TableSize ? Costs[c] : c == '€' ? 2 : 0;

    private static byte[] BuildCosts()
    {
        var costs = new byte[TableSize];
        foreach (var c in Basic)
        {
            costs[c] = 1;
        }

        foreach (var c in Extension)
        {
            if (c < TableSize)
            {
                costs[c] = 2;
            }
        }

        return costs;
    }
}
