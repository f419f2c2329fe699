using System.Text;

namespace SmsMcp.Infra.Tests.Infrastructure;

/// <summary>
/// Evaluates the few ARM expressions <c>bicep snapshot</c> leaves in place although their value is known for a given
/// cloud: <c>format(...)</c> over string literals and <c>environment()</c> properties, in Azure's public cloud.
/// Anything else (a module output, a reference) is not known before deployment and yields null.
/// </summary>
internal static class ArmExpression
{
    private static readonly Dictionary<string, string> PublicCloud = new()
    {
        ["environment().suffixes.storage"] = "core.windows.net",
        ["environment().suffixes.keyvaultDns"] = ".vault.azure.net",
        ["environment().authentication.loginEndpoint"] = "https://login.microsoftonline.com/",
    };

    /// <summary>The value itself when it is not an expression; its value when it can be evaluated; otherwise null.</summary>
    public static string? Evaluate(string value)
    {
        if (!(value.StartsWith('[') && value.EndsWith(']')) || value.StartsWith("[[", StringComparison.Ordinal))
        {
            return value;
        }

        var position = 1;
        var result = Parse(value, ref position);
        return result is not null && position == value.Length - 1 ? result : null;
    }

    private static string? Parse(string text, ref int position)
    {
        if (text[position] == '\'')
        {
            var literal = new StringBuilder();
            position++;
            while (position < text.Length)
            {
                if (text[position] == '\'' && position + 1 < text.Length && text[position + 1] == '\'')
                {
                    literal.Append('\'');
                    position += 2;
                }
                else if (text[position] == '\'')
                {
                    position++;
                    return literal.ToString();
                }
                else
                {
                    literal.Append(text[position++]);
                }
            }

            return null;
        }

        foreach (var (expression, known) in PublicCloud)
        {
            if (string.CompareOrdinal(text, position, expression, 0, expression.Length) == 0)
            {
                position += expression.Length;
                return known;
            }
        }

        const string Format = "format(";
        if (string.CompareOrdinal(text, position, Format, 0, Format.Length) != 0)
        {
            return null;
        }

        position += Format.Length;
        var arguments = new List<string>();
        while (true)
        {
            var argument = Parse(text, ref position);
            if (argument is null)
            {
                return null;
            }

            arguments.Add(argument);
            if (text[position] == ')')
            {
                position++;
                return string.Format(System.Globalization.CultureInfo.InvariantCulture, arguments[0], [.. arguments.Skip(1)]);
            }

            if (!text.AsSpan(position).StartsWith(", "))
            {
                return null;
            }

            position += 2;
        }
    }
}
