namespace SmsMcp.Http.Auth;

/// <summary>Maps an Entra ID object id (from built-in authentication) to a caller id.</summary>
public sealed class PrincipalCallerOptions
{
    public string ObjectId { get; set; } = "";
    public string CallerId { get; set; } = "";
}
