using System.Security.Claims;
using ModelContextProtocol.Protocol;

namespace SmsMcp.Http.Auth;

/// <summary>
/// The per-tool authorization rule, in one place for the HTTP guard (403 before the SDK runs), the <c>tools/list</c>
/// filter and the call filter: a read-only tool needs <see cref="ToolAccess.Read"/>, any other needs
/// <see cref="ToolAccess.Send"/>. Decided from the tool's own annotation, so a new tool that sends is never readable by default.
/// </summary>
public static class ToolGrants
{
    /// <summary>The reason code of a call outside the caller's grant (response, audit record).</summary>
    public const string InsufficientScopeCode = "insufficient_scope";

    /// <summary>The access a tool needs: Read only when it declares itself read-only.</summary>
    public static ToolAccess Required(Tool tool) =>
        tool.Annotations?.ReadOnlyHint == true ? ToolAccess.Read : ToolAccess.Send;

    public static bool Allows(ToolAccess granted, Tool tool) => granted >= Required(tool);

    /// <summary>The access carried by an authenticated principal (<see cref="CallerClaims"/>); none when it carries none.</summary>
    public static ToolAccess Of(ClaimsPrincipal? principal) =>
        principal?.FindFirst(CallerClaims.Access)?.Value switch
        {
            CallerClaims.SendAccess => ToolAccess.Send,
            CallerClaims.ReadAccess => ToolAccess.Read,
            _ => ToolAccess.None,
        };

    /// <summary>A configured <c>Access</c> value: "Send" or "Read" (any case); null for anything else.</summary>
    public static ToolAccess? Parse(string? value) =>
        value?.ToUpperInvariant() switch
        {
            "SEND" => ToolAccess.Send,
            "READ" => ToolAccess.Read,
            _ => null,
        };
}
