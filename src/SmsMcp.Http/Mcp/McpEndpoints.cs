using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Http.Mcp;

public static class McpEndpoints
{
    public const string Path = "/mcp";

    /// <summary>POST carries JSON-RPC; GET and DELETE answer 405 because the server is stateless (no SSE stream, no sessions).</summary>
    public static IEndpointRouteBuilder MapMcp(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        if (!services.GetRequiredService<SmsMcpEnvironment>().IsDevelopment
            && services.GetRequiredService<IOptions<McpHttpOptions>>().Value.AllowedHosts.Count == 0)
        {
            // Fail closed, but say so: behind the Functions front end every request carries the public host name.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpEndpoints))
                .LogWarning("Mcp:AllowedHosts is empty: only loopback Host headers are accepted. Set it to the app's public host name.");
        }

        endpoints.MapPost(Path, (HttpContext context, McpHttpHandler handler) => handler.HandlePostAsync(context));
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Delete], (HttpContext context) =>
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        });
        return endpoints;
    }

    public static IServiceCollection AddMcpEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpHttpOptions>()
            .Bind(configuration.GetSection(McpHttpOptions.SectionName))
            .Validate(o => o.MaxRequestBodyBytes is >= 1024 and <= 4 * 1024 * 1024, "Mcp:MaxRequestBodyBytes must be between 1024 and 4194304.")
            .ValidateOnStart();
        services.AddMcpTools();
        services.AddSingleton<McpRequestGuard>();
        services.AddSingleton<McpHttpHandler>();
        return services;
    }

    /// <summary>The tool surface and server options, shared by the HTTP endpoint and stdio mode.</summary>
    public static IServiceCollection AddMcpTools(this IServiceCollection services)
    {
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<McpServerOptionsFactory>();
        return services;
    }
}
