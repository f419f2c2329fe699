namespace SmsMcp.Http.Auth;

/// <summary>Maps an Entra ID object id (from built-in authentication) to a caller id.</summary>
public sealed class PrincipalCallerOptions
{
    public string ObjectId { get; set; } = "";
    public string CallerId { get; set; } = "";

    /// <summary>Which tools the principal may see and call: <c>Send</c> (every tool) or <c>Read</c>. Default: <c>Send</c>.</summary>
    public string Access { get; set; } = "Send";
}
