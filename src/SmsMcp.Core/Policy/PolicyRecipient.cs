using SmsMcp.Core.Phone;

namespace SmsMcp.Core.Policy;

/// <summary>One entry of the policy's recipient directory: an alias, its checked number and its groups.</summary>
public sealed record PolicyRecipient(string Alias, PhoneNumber Number, IReadOnlySet<string> Groups)
{
    /// <summary>Aliases (and group and profile names) are lower-case so that "Demo" and "demo" cannot name two different things.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 64
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.');
}
