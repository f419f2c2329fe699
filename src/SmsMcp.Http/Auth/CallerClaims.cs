using System.Security.Claims;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth;

/// <summary>How an authenticated caller travels from HTTP into the MCP tools: one claim on the principal.</summary>
public static class CallerClaims
{
    public const string CallerId = "smsmcp:caller";
    public const string AuthenticationType = "SmsMcp";

    public static ClaimsPrincipal ToPrincipal(CallerIdentity caller, string method) =>
        new(new ClaimsIdentity([new Claim(CallerId, caller.Id), new Claim(ClaimTypes.AuthenticationMethod, method)], AuthenticationType));

    public static CallerIdentity? FromPrincipal(ClaimsPrincipal? principal) =>
        principal?.FindFirst(CallerId)?.Value is { } id && CallerIdentity.IsValidId(id) ? new CallerIdentity(id) : null;
}
