namespace SmsMcp.Http.Hosting;

/// <summary>
/// Serves the shared HTTP surface inside a host whose own ASP.NET Core pipeline routes only to its functions (the
/// isolated worker). <see cref="SmsMcpHttp.MapSmsMcpHttp"/> is mapped into a private route table, behind the same
/// middleware the standalone server runs (<see cref="SmsMcpHttp.UseSmsMcpHttp"/>), using only public ASP.NET Core APIs;
/// each HTTP trigger hands its real <see cref="HttpContext"/> to <see cref="DispatchAsync"/>, and the framework's own
/// matcher picks the endpoint (route values, 404, 405 with Allow) exactly as it does standalone.
/// </summary>
public sealed class SmsMcpHttpDispatcher
{
    private readonly RequestDelegate _pipeline;

    public SmsMcpHttpDispatcher(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseSmsMcpHttp();
        var endpoints = new List<RouteEndpoint>();
        app.UseEndpoints(routes =>
        {
            routes.MapSmsMcpHttp();
            endpoints.AddRange(routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>());
        });
        Endpoints = endpoints;
        _pipeline = app.Build();
    }

    /// <summary>The private route table: what the HTTP triggers can reach.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints { get; }

    /// <summary>
    /// Runs the request through the shared surface. What Kestrel does for the standalone server is done here too: a
    /// <see cref="BadHttpRequestException"/> (malformed framing, a body over a server limit) becomes its own 4xx, never a
    /// 500, and a request the client abandoned ends quietly.
    /// </summary>
    public async Task DispatchAsync(HttpContext context)
    {
        // The host's router already chose the function's endpoint; routing skips matching while one is set.
        context.SetEndpoint(null);
        context.Request.RouteValues = [];
        try
        {
            await _pipeline(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}
