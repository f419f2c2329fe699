using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SmsMcp.Http.Auth.OAuth;

/// <summary>
/// RFC 9728 protected resource metadata, served at <c>/.well-known/oauth-protected-resource/mcp</c> (the MCP endpoint's
/// own document, which MCP clients try first) and at <c>/.well-known/oauth-protected-resource</c> (the origin's). Each
/// document's <c>resource</c> is the identifier its well-known URL was formed from (RFC 9728 §3.3), and both come from
/// configuration, never from the request's Host header. Also builds the <c>WWW-Authenticate</c> challenges that point to it.
/// </summary>
public sealed class ProtectedResourceMetadata(IOptions<OAuthOptions> options)
{
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    private readonly OAuthOptions _options = options.Value;

    public bool Enabled => _options.Enabled;

    /// <summary>The MCP endpoint's resource identifier (<c>Auth:OAuth:Resource</c>).</summary>
    public Uri Resource => new(_options.Resource);

    /// <summary>The origin's identifier: the resource of the root document.</summary>
    public Uri Origin => new(Resource.GetLeftPart(UriPartial.Authority));

    /// <summary>Where the MCP endpoint's document is: the pointer every challenge carries.</summary>
    public string MetadataUrl => Origin.GetLeftPart(UriPartial.Authority) + WellKnownPath + Resource.AbsolutePath;

    /// <summary>Every <c>aud</c> a token may carry: the two published identifiers and any configured audience.</summary>
    internal IReadOnlyList<string> Audiences =>
        [_options.Resource, Origin.GetLeftPart(UriPartial.Authority), Origin.ToString(), .. _options.Audiences];

    /// <summary>The document for a well-known request's path suffix: "" (the origin) or the MCP path; null for anything else.</summary>
    public JsonObject? DocumentFor(string? resourcePath)
    {
        var suffix = "/" + (resourcePath ?? "");
        string? resource = suffix == "/" ? Origin.GetLeftPart(UriPartial.Authority)
            : suffix == Resource.AbsolutePath ? _options.Resource
            : null;
        return resource is null ? null : new JsonObject
        {
            ["resource"] = resource,
            ["authorization_servers"] = new JsonArray([.. _options.EffectiveIssuers.Select(i => (JsonNode?)JsonValue.Create(i.Issuer))]),
            ["scopes_supported"] = new JsonArray(_options.ReadScope, _options.SendScope),
            ["bearer_methods_supported"] = new JsonArray("header"),
            ["resource_signing_alg_values_supported"] = new JsonArray([.. _options.EffectiveAlgorithms.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["resource_name"] = "SmsMcp",
        };
    }

    /// <summary>The 401 challenge: a realm, the RFC 6750 error when a token was refused, and the metadata pointer when OAuth is on.</summary>
    public string Challenge(bool tokenRejected)
    {
        var challenge = "Bearer realm=\"smsmcp\"";
        if (tokenRejected)
        {
            challenge += ", error=\"invalid_token\"";
        }

        return Enabled ? challenge + $", resource_metadata=\"{MetadataUrl}\"" : challenge;
    }

    /// <summary>The 403 step-up challenge (MCP authorization, RFC 6750 §3.1): the scope that would grant <paramref name="needed"/>.</summary>
    public string InsufficientScope(ToolAccess needed)
    {
        var scope = needed == ToolAccess.Send ? _options.SendScope : _options.ReadScope;
        var challenge = $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
        return Enabled ? challenge + $", resource_metadata=\"{MetadataUrl}\"" : challenge;
    }
}
