using Microsoft.Extensions.Options;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth;

/// <summary>
/// Authenticates every MCP request: an API key as <c>Authorization: Bearer</c>, or — only when configured —
/// the App Service built-in authentication principal header. Keys are checked against every configured
/// hash without stopping early (<see cref="ApiKeySet{TOwner}"/>), so timing does not tell which caller nearly matched.
/// </summary>
public sealed class CallerAuthenticator
{
    private readonly ApiKeySet<CallerIdentity> _keys;
    private readonly Dictionary<string, CallerIdentity> _principals;
    private readonly bool _trustPrincipalHeader;

    public CallerAuthenticator(IOptions<AuthOptions> options, DevelopmentCallerKey? developmentKey = null)
    {
        var value = options.Value;
        var keys = value.Callers
            .Select(c => (new CallerIdentity(c.Id), ApiKeyHash.FromOptions(c)))
            .ToList();
        if (developmentKey is not null)
        {
            keys.Add((new CallerIdentity(DevelopmentCallerKey.CallerId), ApiKeyHash.Create(developmentKey.Key)));
        }

        _keys = new ApiKeySet<CallerIdentity>(keys);
        _trustPrincipalHeader = value.TrustAppServiceAuthentication;
        _principals = value.Principals.ToDictionary(p => p.ObjectId, p => new CallerIdentity(p.CallerId), StringComparer.OrdinalIgnoreCase);
    }

    public AuthenticationOutcome Authenticate(HttpRequest request)
    {
        if (_trustPrincipalHeader && request.Headers.TryGetValue(AppServicePrincipal.HeaderName, out var header))
        {
            var objectId = AppServicePrincipal.ReadObjectId(header.ToString());
            return objectId is not null && _principals.TryGetValue(objectId, out var mapped)
                ? new AuthenticationOutcome(CallerClaims.ToPrincipal(mapped, "entra"), null)
                : AuthenticationOutcome.Fail("The signed-in principal is not mapped to a caller.");
        }

        if (BearerKey.Read(request) is not { } presented)
        {
            return AuthenticationOutcome.Fail("An API key is required: send it as 'Authorization: Bearer <key>'.");
        }

        var match = _keys.Match(presented);
        return match is null
            ? AuthenticationOutcome.Fail("The API key is not valid.")
            : new AuthenticationOutcome(CallerClaims.ToPrincipal(match, "api_key"), null);
    }
}
