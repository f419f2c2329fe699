using System.Security.Claims;

namespace SmsMcp.Http.Auth;

/// <summary>
/// The authenticated principal, or why there is none (a safe sentence for the 401 body). <see cref="TokenRejected"/>
/// marks a bearer token that was presented and refused (RFC 6750 <c>error="invalid_token"</c>).
/// </summary>
public sealed record AuthenticationOutcome(ClaimsPrincipal? Principal, string? Failure, bool TokenRejected = false)
{
    public static AuthenticationOutcome Fail(string failure) => new(null, failure);

    public static AuthenticationOutcome InvalidToken(string failure) => new(null, failure, TokenRejected: true);
}
