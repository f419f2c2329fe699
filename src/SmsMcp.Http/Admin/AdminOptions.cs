using SmsMcp.Http.Auth;

namespace SmsMcp.Http.Admin;

/// <summary>Who may use the operator endpoint <c>/admin</c> (configuration section <c>Admin</c>).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// Operator keys, configured like <c>Auth:Callers</c>: an operator id plus the salt and SHA-256 hash of the key
    /// (make them with <c>SmsMcp.Server hash-key --caller NAME</c> and use the printed salt and hash here). The id
    /// is what audit records name as the changer. These keys are checked only on <c>/admin</c> and caller keys only
    /// on <c>/mcp</c>, so an agent's key can never flip a control. Default: none, and with none the whole
    /// <c>/admin</c> surface answers 404.
    /// </summary>
    public List<ApiKeyCallerOptions> Keys { get; set; } = [];
}
