using Microsoft.Extensions.Options;
using SmsMcp.Core.Callers;
using SmsMcp.Http.Auth.OAuth;

namespace SmsMcp.Http.Auth;

/// <summary>
/// Authenticates every MCP request: an API key as <c>Authorization: Bearer</c>; when <c>Auth:OAuth</c> is enabled, a
/// bearer JWT that is no configured key (<see cref="OAuthResourceServer"/>); or — only when configured — the App Service
/// built-in authentication principal header. Keys are checked against every configured hash without stopping early
/// (<see cref="ApiKeySet{TOwner}"/>), so timing does not tell which caller nearly matched. Each outcome carries the
/// caller's tool access (<see cref="ToolAccess"/>).
/// </summary>
public sealed class CallerAuthenticator
{
    private readonly ApiKeySet<Owner> _keys;
    private readonly Dictionary<string, (CallerIdentity Caller, ToolAccess Access)> _principals;
    private readonly bool _trustPrincipalHeader;
    private readonly OAuthResourceServer? _oauth;

    public CallerAuthenticator(IOptions<AuthOptions> options, DevelopmentCallerKey? developmentKey = null, OAuthResourceServer? oauth = null)
    {
        var value = options.Value;
        var keys = value.Callers
            .Select(c => (new Owner(new CallerIdentity(c.Id), ToolGrants.Parse(c.Access) ?? ToolAccess.None), ApiKeyHash.FromOptions(c)))
            .ToList();
        if (developmentKey is not null)
        {
            keys.Add((new Owner(new CallerIdentity(DevelopmentCallerKey.CallerId), ToolAccess.Send), ApiKeyHash.Create(developmentKey.Key)));
        }

        _keys = new ApiKeySet<Owner>(keys);
        _trustPrincipalHeader = value.TrustAppServiceAuthentication;
        _principals = value.Principals.ToDictionary(
            p => p.ObjectId,
            p => (new CallerIdentity(p.CallerId), ToolGrants.Parse(p.Access) ?? ToolAccess.None),
            StringComparer.OrdinalIgnoreCase);
        _oauth = oauth is { Enabled: true } ? oauth : null;
    }

    public async Task<AuthenticationOutcome> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        if (_trustPrincipalHeader && request.Headers.TryGetValue(AppServicePrincipal.HeaderName, out var header))
        {
            var objectId = AppServicePrincipal.ReadObjectId(header.ToString());
            return objectId is not null && _principals.TryGetValue(objectId, out var mapped)
                ? new AuthenticationOutcome(CallerClaims.ToPrincipal(mapped.Caller, "entra", mapped.Access), null)
                : AuthenticationOutcome.Fail("The signed-in principal is not mapped to a caller.");
        }

        if (BearerKey.Read(request) is not { } presented)
        {
            return AuthenticationOutcome.Fail(_oauth is null
                ? "An API key is required: send it as 'Authorization: Bearer <key>'."
                : "An API key or an OAuth access token is required: send it as 'Authorization: Bearer <token>'.");
        }

        if (_keys.Match(presented) is { } match)
        {
            return new AuthenticationOutcome(CallerClaims.ToPrincipal(match.Caller, "api_key", match.Access), null);
        }

        return _oauth is not null && OAuthResourceServer.LooksLikeJwt(presented)
            ? await _oauth.AuthenticateAsync(context, presented)
            : AuthenticationOutcome.InvalidToken("The API key is not valid.");
    }

    /// <summary>An API key's owner: the caller and what it may do.</summary>
    private sealed record Owner(CallerIdentity Caller, ToolAccess Access);
}
