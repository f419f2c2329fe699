namespace SmsMcp.Http.Auth.OAuth;

/// <summary>One accepted token issuer and where its signing keys are discovered.</summary>
public sealed class OAuthIssuerOptions
{
    /// <summary>The exact <c>iss</c> value (https). Also published as an authorization server in the metadata.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The OpenID discovery document (https). Default: <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string MetadataAddress { get; set; } = "";

    internal string EffectiveMetadataAddress =>
        string.IsNullOrEmpty(MetadataAddress) ? Issuer.TrimEnd('/') + "/.well-known/openid-configuration" : MetadataAddress;
}
