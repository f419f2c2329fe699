namespace SmsMcp.Http.Auth;

/// <summary>Who may call the MCP endpoint (configuration section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// API-key callers. Only a salt and a SHA-256 hash of each key are configured (make them with
    /// <c>SmsMcp.Server hash-key --caller NAME</c>); the key itself is never stored. Default: none.
    /// </summary>
    public List<ApiKeyCallerOptions> Callers { get; set; } = [];

    /// <summary>
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header set by Azure App Service / Functions built-in
    /// authentication. Turn on ONLY when the app is fronted by it: anyone can send the header otherwise.
    /// Default: false (the header is ignored).
    /// </summary>
    public bool TrustAppServiceAuthentication { get; set; }

    /// <summary>Entra ID principals (object ids) mapped to callers, used only with <see cref="TrustAppServiceAuthentication"/>. Unknown principals get nothing.</summary>
    public List<PrincipalCallerOptions> Principals { get; set; } = [];
}
