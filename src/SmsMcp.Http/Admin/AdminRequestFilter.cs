using SmsMcp.Http.Mcp;

namespace SmsMcp.Http.Admin;

/// <summary>
/// Runs before every <c>/admin</c> route, unknown ones included, so nothing about the surface is visible without a
/// key: Host and Origin as on <c>/mcp</c> (403), no operator keys configured (404), no or a wrong key (401).
/// </summary>
public sealed class AdminRequestFilter(McpRequestGuard guard, AdminAuthenticator authenticator) : IEndpointFilter
{
    private const string OperatorItem = "smsmcp.admin.operator";

    /// <summary>The authenticated operator of a request that passed this filter.</summary>
    public static string OperatorOf(HttpContext context) =>
        context.Items[OperatorItem] as string ?? throw new InvalidOperationException("The admin filter did not run.");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!guard.IsAllowedHost(request.Host)
            || (request.Headers.Origin is { Count: > 0 } origin && !guard.IsAllowedOrigin(origin.ToString())))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden: Host or Origin not allowed.");
        }

        if (!authenticator.IsConfigured)
        {
            return TypedResults.NotFound();
        }

        if (authenticator.Authenticate(request) is not { } operatorId)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An admin key is required: send it as 'Authorization: Bearer <key>'.");
        }

        http.Items[OperatorItem] = operatorId;
        return await next(context);
    }
}
