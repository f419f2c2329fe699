using SmsMcp.Http.Hosting;

namespace SmsMcp.Functions.Functions;

/// <summary>
/// The HTTP triggers. Each hands its request's <see cref="HttpContext"/> to the shared surface
/// (<see cref="SmsMcpHttpDispatcher"/>), which writes the whole answer — status, headers, streamed body — itself; the
/// empty result tells the worker the response is already handled. Routes and methods are those the standalone server
/// maps (a test compares them with the generated functions.metadata). Anonymous at the Functions level: every request
/// is authenticated by the endpoint it reaches.
/// </summary>
public sealed class HttpFunctions(SmsMcpHttpDispatcher dispatcher)
{
    [Function(FunctionNames.Mcp)]
    public Task<IResult> McpAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "delete", Route = "mcp")] HttpRequest request) =>
        DispatchAsync(request);

    [Function(FunctionNames.Admin)]
    public Task<IResult> AdminAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "post", "delete", Route = "admin/{*rest}")] HttpRequest request) =>
        DispatchAsync(request);

    [Function(FunctionNames.TwilioStatus)]
    public Task<IResult> TwilioStatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "twilio/status")] HttpRequest request) =>
        DispatchAsync(request);

    /// <summary>RFC 9728 protected resource metadata (both documents; 404 while OAuth is off).</summary>
    [Function(FunctionNames.ProtectedResourceMetadata)]
    public Task<IResult> ProtectedResourceMetadataAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/oauth-protected-resource/{*resourcePath}")] HttpRequest request) =>
        DispatchAsync(request);

    private async Task<IResult> DispatchAsync(HttpRequest request)
    {
        await dispatcher.DispatchAsync(request.HttpContext);
        return Results.Empty;
    }
}
