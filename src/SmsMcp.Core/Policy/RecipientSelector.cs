using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Policy;

/// <summary>
/// A set of numbers named four ways: directory aliases, directory groups, exact E.164 numbers and
/// <see cref="NumberPattern"/>s. A profile has one to allow and one to deny; deny beats allow.
/// </summary>
public sealed record RecipientSelector(
    IReadOnlySet<string> Recipients,
    IReadOnlySet<string> Groups,
    IReadOnlySet<string> Numbers,
    IReadOnlyList<NumberPattern> Patterns)
{
    /// <summary>Selects nothing.</summary>
    public static RecipientSelector Empty { get; } = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>(), []);

    /// <summary>
    /// True when <paramref name="number"/> is selected directly (number, pattern) or through any directory
    /// entry that holds it (<paramref name="entries"/>), so an alias cannot dodge a deny on its number.
    /// </summary>
    public bool Matches(PhoneNumber number, IEnumerable<PolicyRecipient> entries) =>
        Numbers.Contains(number.E164)
        || Patterns.Any(p => p.Matches(number.E164))
        || entries.Any(e => Recipients.Contains(e.Alias) || e.Groups.Overlaps(Groups));
}
