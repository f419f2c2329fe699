namespace SmsMcp.Http.Auth.OAuth;

/// <summary>A token principal (issuer and the value of <see cref="OAuthOptions.CallerClaim"/>) mapped to a policy caller.</summary>
public sealed class OAuthPrincipalOptions
{
    /// <summary>The issuer whose tokens may name this principal (an Entra tenant's is <c>https://login.microsoftonline.com/{tenant}/v2.0</c>).</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The value of the caller claim (for <c>oid</c>, the object id).</summary>
    public string Subject { get; set; } = "";

    public string CallerId { get; set; } = "";
}
