using System.Security.Claims;
using SmsMcp.Core.Callers;

namespace SmsMcp.Http.Auth;

/// <summary>
/// How an authenticated caller travels from HTTP into the MCP tools: the caller id and its tool access
/// (<see cref="ToolAccess"/>), two claims on the principal. Nothing from a bearer token is carried further.
/// </summary>
public static class CallerClaims
{
    public const string CallerId = "smsmcp:caller";
    public const string Access = "smsmcp:access";
    public const string AuthenticationType = "SmsMcp";
    internal const string SendAccess = "send";
    internal const string ReadAccess = "read";

    public static ClaimsPrincipal ToPrincipal(CallerIdentity caller, string method, ToolAccess access)
    {
        var claims = new List<Claim> { new(CallerId, caller.Id), new(ClaimTypes.AuthenticationMethod, method) };
        if (access != ToolAccess.None)
        {
            claims.Add(new Claim(Access, access == ToolAccess.Send ? SendAccess : ReadAccess));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType));
    }

    public static CallerIdentity? FromPrincipal(ClaimsPrincipal? principal) =>
        principal?.FindFirst(CallerId)?.Value is { } id && CallerIdentity.IsValidId(id) ? new CallerIdentity(id) : null;
}
