using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using SmsMcp.Core.Hosting;
using SmsMcp.Http.Hosting;

namespace SmsMcp.Http.Mcp;

public static class McpEndpoints
{
    public const string Path = "/mcp";

    /// <summary>
    /// The SDK's streamable HTTP endpoint (stateless: POST only, no sessions, no SSE stream) with
    /// <see cref="McpEndpointGuard"/> inside it; GET and DELETE answer 405 (nothing to guard: they do nothing).
    /// </summary>
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

        Microsoft.AspNetCore.Builder.McpEndpointRouteBuilderExtensions.MapMcp(endpoints, Path)
            .AddSingletonEndpointFilter<IEndpointConventionBuilder, McpEndpointGuard>();
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
        services.AddSingleton<McpRequestGuard>();
        services.AddSingleton<McpEndpointGuard>();
        services.AddSmsMcpServer().WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateless);
        return services;
    }

    /// <summary>The tool surface and server options without a transport: stdio mode adds its own.</summary>
    public static IServiceCollection AddMcpTools(this IServiceCollection services)
    {
        services.AddSmsMcpServer();
        return services;
    }
}
