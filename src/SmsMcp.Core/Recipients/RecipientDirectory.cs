using Microsoft.Extensions.Options;
using SmsMcp.Core.Phone;
using SmsMcp.Core.Sending;

namespace SmsMcp.Core.Recipients;

/// <summary>
/// Resolves what an agent wrote in <c>to</c> into a number and decides whether it may be texted.
/// Unknown aliases and numbers outside the allowlist get the same refusal, so probing reveals nothing.
/// </summary>
public sealed class RecipientDirectory
{
    private readonly Dictionary<string, PhoneNumber> _aliases;
    private readonly HashSet<string> _allowedNumbers;
    private readonly bool _allowFictionalRange;

    public RecipientDirectory(IOptions<RecipientOptions> options)
    {
        var value = options.Value;
        _aliases = new Dictionary<string, PhoneNumber>(StringComparer.Ordinal);
        foreach (var (alias, number) in value.Aliases)
        {
            // Options validation has already rejected bad entries; parse again to hold typed numbers.
            if (IsValidAlias(alias) && PhoneNumberParser.TryParse(number, out var parsed, out _))
            {
                _aliases[alias] = parsed!;
            }
        }

        _allowedNumbers = _aliases.Values.Select(n => n.E164).ToHashSet(StringComparer.Ordinal);
        _allowFictionalRange = value.AllowFictionalNanpRange;
    }

    /// <summary>Aliases are lower-case so that "Demo" and "demo" cannot name two different people.</summary>
    public static bool IsValidAlias(string? alias) =>
        !string.IsNullOrEmpty(alias)
        && alias.Length <= 64
        && alias.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.');

    /// <summary>Turns <paramref name="to"/> into an allowed recipient, or says why not.</summary>
    public bool TryResolve(string? to, out ResolvedRecipient? recipient, out Refusal? refusal)
    {
        recipient = null;
        refusal = null;
        var trimmed = to?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            refusal = Refusal.InvalidRecipient;
            return false;
        }

        if (trimmed.StartsWith('+') || trimmed.Any(char.IsDigit) && !trimmed.Any(char.IsLetter))
        {
            if (!PhoneNumberParser.TryParse(trimmed, out var number, out _))
            {
                refusal = Refusal.InvalidNumber;
                return false;
            }

            if (!IsAllowed(number!))
            {
                refusal = Refusal.RecipientNotAllowed;
                return false;
            }

            recipient = new ResolvedRecipient(number!, AliasOf(number!));
            return true;
        }

        var alias = trimmed.ToLowerInvariant();
        if (!IsValidAlias(alias))
        {
            refusal = Refusal.InvalidRecipient;
            return false;
        }

        if (!_aliases.TryGetValue(alias, out var aliased))
        {
            refusal = Refusal.RecipientNotAllowed;
            return false;
        }

        recipient = new ResolvedRecipient(aliased, alias);
        return true;
    }

    /// <summary>The aliases a caller may text, numbers masked, in alias order.</summary>
    public IReadOnlyList<RecipientEntry> List() =>
        _aliases.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new RecipientEntry(a.Key, a.Value.Masked, a.Value.Region))
            .ToList();

    private bool IsAllowed(PhoneNumber number) =>
        _allowedNumbers.Contains(number.E164) || _allowFictionalRange && IsFictionalNanp(number);

    private string? AliasOf(PhoneNumber number) =>
        _aliases.FirstOrDefault(a => a.Value.E164 == number.E164).Key;

    /// <summary>+1 NPA 555 01XX: the NANP block reserved for fictional use.</summary>
    private static bool IsFictionalNanp(PhoneNumber number) =>
        number.CountryCallingCode == 1
        && number.E164.Length == 12
        && string.CompareOrdinal(number.E164, 5, "55501", 0, 5) == 0;
}
