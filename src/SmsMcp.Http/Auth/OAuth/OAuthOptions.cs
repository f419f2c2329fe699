namespace SmsMcp.Http.Auth.OAuth;

/// <summary>
/// The OAuth 2.1 resource server (configuration section <c>Auth:OAuth</c>): bearer JWTs from the configured issuers,
/// validated by the JwtBearer handler, each mapped to a policy caller. Off by default; API keys work either way.
/// </summary>
public sealed class OAuthOptions
{
    public const string SectionName = "Auth:OAuth";

    /// <summary>Accept bearer JWTs and publish protected resource metadata. Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// This server's resource identifier: the public URL of its MCP endpoint, e.g. <c>https://app.example.net/mcp</c>
    /// (https; http only for a loopback host). Published in the metadata; a token's <c>aud</c> must be it, its origin
    /// (the identifier of the root metadata document) or one of <see cref="Audiences"/>. Required when enabled.
    /// </summary>
    public string Resource { get; set; } = "";

    /// <summary>Entra ID tenants (GUIDs) whose v2 tokens are accepted: issuer <c>{EntraInstance}{tenant}/v2.0</c>. Default: none.</summary>
    public List<string> EntraTenantIds { get; set; } = [];

    /// <summary>The Entra ID authority host for <see cref="EntraTenantIds"/>. Default: <c>https://login.microsoftonline.com/</c>.</summary>
    public string EntraInstance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Other OpenID providers, by issuer. Default: none.</summary>
    public List<OAuthIssuerOptions> Issuers { get; set; } = [];

    /// <summary>
    /// More accepted <c>aud</c> values, e.g. an Entra application's client id and <c>api://</c> URI (Entra puts those
    /// in <c>aud</c>, not the resource URL). Default: none.
    /// </summary>
    public List<string> Audiences { get; set; } = [];

    /// <summary>
    /// The claim that identifies the principal, looked up in <see cref="Principals"/>: <c>oid</c> (Entra object id of
    /// the user or service principal; the default), <c>azp</c> (the client application), <c>sub</c>, ...
    /// </summary>
    public string CallerClaim { get; set; } = "oid";

    /// <summary>Signature algorithms accepted (asymmetric only: RS*, PS*, ES*). Default: <c>RS256</c>.</summary>
    public List<string> Algorithms { get; set; } = [];

    /// <summary>The scope or app role that grants the read-only tools. Default: <c>SmsMcp.Read</c>.</summary>
    public string ReadScope { get; set; } = "SmsMcp.Read";

    /// <summary>The scope or app role that grants every tool, <c>send_sms</c> included. Default: <c>SmsMcp.Send</c>.</summary>
    public string SendScope { get; set; } = "SmsMcp.Send";

    /// <summary>Token principals mapped to callers. A principal not listed here gets nothing (401). Default: none.</summary>
    public List<OAuthPrincipalOptions> Principals { get; set; } = [];

    /// <summary>The algorithms in force: <see cref="Algorithms"/>, or RS256 when none are configured.</summary>
    internal IReadOnlyList<string> EffectiveAlgorithms => Algorithms.Count == 0 ? ["RS256"] : Algorithms;

    /// <summary>Every accepted issuer with its discovery document, Entra tenants first.</summary>
    internal IReadOnlyList<OAuthIssuerOptions> EffectiveIssuers =>
    [
        .. EntraTenantIds.Select(tenant => new OAuthIssuerOptions
        {
            Issuer = $"{EntraInstance.TrimEnd('/')}/{tenant}/v2.0",
            MetadataAddress = $"{EntraInstance.TrimEnd('/')}/{tenant}/v2.0/.well-known/openid-configuration",
        }),
        .. Issuers,
    ];
}
