using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth.OAuth;

/// <summary>
/// Authenticates a bearer JWT with the JwtBearer handler of its issuer (one authentication scheme per configured issuer,
/// chosen by the token's unverified <c>iss</c>, which that scheme then verifies with everything else), then maps the
/// verified principal to a policy caller and its scopes or app roles to a <see cref="ToolAccess"/>. The token itself is
/// never stored, logged or passed on: only the caller id and access leave this class.
/// </summary>
public sealed class OAuthResourceServer
{
    internal const string SchemePrefix = "smsmcp-oauth-";
    private readonly OAuthOptions _options;
    private readonly Dictionary<string, string> _schemes;
    private readonly Dictionary<(string Issuer, string Subject), CallerIdentity> _principals;

    public OAuthResourceServer(IOptions<OAuthOptions> options)
    {
        _options = options.Value;
        _schemes = _options.EffectiveIssuers
            .Select((issuer, i) => (issuer.Issuer, Scheme: SchemePrefix + i))
            .ToDictionary(s => s.Issuer, s => s.Scheme, StringComparer.Ordinal);
        _principals = _options.Principals.ToDictionary(p => (p.Issuer, p.Subject), p => new CallerIdentity(p.CallerId));
    }

    public bool Enabled => _options.Enabled;

    /// <summary>A bearer value that is a JWS in compact form (three base64url parts), so worth handing to the JWT handler.</summary>
    public static bool LooksLikeJwt(string bearer) =>
        bearer.Length < 16 * 1024 && bearer.Count(c => c == '.') == 2 && bearer.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public async Task<AuthenticationOutcome> AuthenticateAsync(HttpContext context, string bearer)
    {
        if (!_options.Enabled || IssuerOf(bearer) is not { } issuer || !_schemes.TryGetValue(issuer, out var scheme))
        {
            return AuthenticationOutcome.InvalidToken("The access token is not valid for this server.");
        }

        var result = await context.AuthenticateAsync(scheme);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return AuthenticationOutcome.InvalidToken("The access token is not valid for this server.");
        }

        return principal.FindFirst(_options.CallerClaim)?.Value is { } subject && _principals.TryGetValue((issuer, subject), out var caller)
            ? new AuthenticationOutcome(CallerClaims.ToPrincipal(caller, "oauth", AccessOf(principal)), null)
            : AuthenticationOutcome.InvalidToken("The token's principal is not mapped to a caller of this server.");
    }

    /// <summary>Send when the token carries the send scope or app role, Read for the read scope, else none.</summary>
    private ToolAccess AccessOf(System.Security.Claims.ClaimsPrincipal principal)
    {
        var granted = principal.Claims
            .Where(c => c.Type is "scp" or "scope" or "roles")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return granted.Contains(_options.SendScope) ? ToolAccess.Send
            : granted.Contains(_options.ReadScope) ? ToolAccess.Read
            : ToolAccess.None;
    }

    /// <summary>The token's unverified issuer, used only to pick the scheme that verifies it.</summary>
    private static string? IssuerOf(string bearer)
    {
        try
        {
            return new JsonWebToken(bearer).Issuer is { Length: > 0 } issuer ? issuer : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
