using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Http.Admin;
using SmsMcp.Http.Auth;
using SmsMcp.Http.Auth.OAuth;
using SmsMcp.Http.Hosting;
using SmsMcp.Http.Jobs;
using SmsMcp.Http.Mcp;
using SmsMcp.Http.Webhooks;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Telemetry;

namespace SmsMcp.Http;

/// <summary>
/// The HTTP surface both hosts serve — the standalone server and the Functions worker — registered and mapped in one
/// place, so no endpoint or guard exists in only one of them. Every guard runs inside the endpoints' own request
/// delegates (handlers or endpoint filters), never only in app-level middleware, which the Functions path does not run.
/// </summary>
public static class SmsMcpHttp
{
    /// <summary>Everything the endpoints need: the send walk, caller authentication, MCP, webhooks, admin; and telemetry export when configured.</summary>
    public static IServiceCollection AddSmsMcpHttp(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment) =>
        services
            .AddSmsMcpCore(configuration, environment)
            .AddCallerAuthentication(configuration, environment)
            .AddMcpEndpoint(configuration)
            .AddTwilioWebhooks(configuration)
            .AddAdminEndpoint(configuration)
            .AddForwardedHeaders(configuration)
            .AddScheduledJobs()
            .AddSmsMcpTelemetry(configuration, ServedPaths.Contains);

    /// <summary>
    /// The middleware both hosts put in front of the endpoints (the Functions dispatcher runs it too): forwarded headers
    /// only as configured (<see cref="ForwardedHeadersSettings"/>), then routing. Guards do not belong here: they run
    /// inside the endpoints.
    /// </summary>
    public static IApplicationBuilder UseSmsMcpHttp(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        app.UseRouting();
        return app;
    }

    /// <summary><c>/mcp</c>, its protected resource metadata (<c>/.well-known/oauth-protected-resource…</c>), <c>/twilio/status</c> and <c>/admin/…</c>.</summary>
    public static IEndpointRouteBuilder MapSmsMcpHttp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMcp();
        endpoints.MapProtectedResourceMetadata();
        endpoints.MapTwilioStatus();
        endpoints.MapAdmin();
        return endpoints;
    }

    /// <summary>The <c>ForwardedHeaders</c> section, validated at start, applied over any host default.</summary>
    private static IServiceCollection AddForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .Bind(configuration.GetSection(ForwardedHeadersSettings.SectionName))
            .Validate(ForwardedHeadersSetup.IsValid,
                "ForwardedHeaders: when Enabled, name at least one of KnownProxies (IP addresses) or KnownNetworks (CIDR); every entry must parse.")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddRouting();
        return services;
    }
}
