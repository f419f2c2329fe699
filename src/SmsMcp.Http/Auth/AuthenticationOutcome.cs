using System.Security.Claims;

namespace SmsMcp.Http.Auth;

/// <summary>The authenticated principal, or why there is none (a safe sentence for the 401 body).</summary>
public sealed record AuthenticationOutcome(ClaimsPrincipal? Principal, string? Failure)
{
    public static AuthenticationOutcome Fail(string failure) => new(null, failure);
}
