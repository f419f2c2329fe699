namespace SmsMcp.Core.Policy;

/// <summary>The policy could not be loaded or is invalid; the message names the field of each fault, one per line.</summary>
public sealed class PolicyInvalidException(string source, IReadOnlyList<string> errors)
    : Exception($"The send policy {source} is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
