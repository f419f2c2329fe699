namespace SmsMcp.Core.Policy;

/// <summary>
/// An explicit number pattern: a prefix plus a length, written as one template such as <c>+1NXX55501XX</c>.
/// Each position is a literal digit, <c>X</c> (any digit) or <c>N</c> (2-9); the template's length is the
/// number's length, so a pattern never matches a longer or shorter number.
/// </summary>
public sealed record NumberPattern(string Template)
{
    /// <summary>True when <paramref name="e164"/> has the template's length and every position fits.</summary>
    public bool Matches(string e164)
    {
        if (e164.Length != Template.Length)
        {
            return false;
        }

        for (var i = 0; i < e164.Length; i++)
        {
            var fits = Template[i] switch
            {
                'X' => char.IsAsciiDigit(e164[i]),
                'N' => e164[i] is >= '2' and <= '9',
                var literal => e164[i] == literal,
            };
            if (!fits)
            {
                return false;
            }
        }

        return true;
    }
}
