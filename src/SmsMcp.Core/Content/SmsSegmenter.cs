namespace SmsMcp.Core.Content;

/// <summary>
/// Works out the encoding and the billable segment count of an SMS body the way handsets and
/// carriers do: GSM-7 when every character is in the GSM 03.38 default alphabet or its extension
/// table, UCS-2 otherwise. Concatenated parts are filled character by character, because an escape
/// pair (extension character) or a UTF-16 surrogate pair is never split across two parts; that can
/// make the count exceed a plain <c>ceil(units / perSegment)</c>.
/// </summary>
public static class SmsSegmenter
{
    /// <summary>GSM-7 septets in a single, unconcatenated SMS.</summary>
    public const int Gsm7SingleSegment = 160;

    /// <summary>GSM-7 septets per part of a concatenated SMS (160 less the 7 septets of the header).</summary>
    public const int Gsm7ConcatenatedSegment = 153;

    /// <summary>UCS-2 code units in a single, unconcatenated SMS.</summary>
    public const int Ucs2SingleSegment = 70;

    /// <summary>UCS-2 code units per part of a concatenated SMS (70 less the 3 units of the header).</summary>
    public const int Ucs2ConcatenatedSegment = 67;

    /// <summary>Analyses <paramref name="body"/>; an empty body is GSM-7 with 0 segments and 0 units.</summary>
    public static SmsSegmentation Analyze(string body)
    {
        ArgumentNullException.ThrowIfNull(body);

        var septets = 0;
        foreach (var c in body)
        {
            var cost = GsmAlphabet.SeptetCost(c);
            if (cost == 0)
            {
                return AnalyzeUcs2(body);
            }

            septets += cost;
        }

        if (septets <= Gsm7SingleSegment)
        {
            return new SmsSegmentation(SmsEncoding.Gsm7, septets == 0 ? 0 : 1, septets);
        }

        var segments = 1;
        var used = 0;
        foreach (var c in body)
        {
            var cost = GsmAlphabet.SeptetCost(c);
            if (used + cost > Gsm7ConcatenatedSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
        }

        return new SmsSegmentation(SmsEncoding.Gsm7, segments, septets);
    }

    private static SmsSegmentation AnalyzeUcs2(string body)
    {
        if (body.Length <= Ucs2SingleSegment)
        {
            return new SmsSegmentation(SmsEncoding.Ucs2, 1, body.Length);
        }

        var segments = 1;
        var used = 0;
        for (var i = 0; i < body.Length; i++)
        {
            // A well-formed surrogate pair travels together; a lone surrogate is one unit like any other.
            var cost = char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]) ? 2 : 1;
            if (used + cost > Ucs2ConcatenatedSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return new SmsSegmentation(SmsEncoding.Ucs2, segments, body.Length);
    }
}
