namespace SmsMcp.Core.Policy;

/// <summary>Where the send policy comes from (configuration section <c>Policy</c>).</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    /// <summary>
    /// Path of the policy JSON file (see <c>policy/policy.schema.json</c>). Required outside Development; in
    /// Development the built-in <c>policy/development.json</c> is used when unset. The file is read and
    /// validated once at start: an invalid or missing file stops the server (deny by default, fail closed).
    /// </summary>
    public string? Path { get; set; }
}
