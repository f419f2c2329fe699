namespace SmsMcp.Core.Policy;

/// <summary>The policy could not be loaded or is invalid; <see cref="Errors"/> name the field of each fault.</summary>
public sealed class PolicyInvalidException(string source, IReadOnlyList<string> errors)
    : Exception($"The send policy {source} is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
{
    /// <summary>One line per fault, each starting with the field path.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
