using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace SmsMcp.Http.Auth.OAuth;

public static class OAuthServiceCollectionExtensions
{
    /// <summary>
    /// The <c>Auth:OAuth</c> options (validated at start), the metadata document, and — when enabled — one JwtBearer
    /// scheme per configured issuer. No default scheme and no middleware: the MCP endpoint's guard invokes the scheme
    /// itself, so the Functions host (which skips app middleware) authenticates exactly as the standalone server does.
    /// </summary>
    public static IServiceCollection AddOAuthResourceServer(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OAuthOptions.SectionName);
        services.AddOptions<OAuthOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OAuthOptions>, OAuthOptionsValidator>();
        services.AddSingleton<ProtectedResourceMetadata>();
        services.AddSingleton<OAuthResourceServer>();

        // Schemes are fixed when the container is built, so their number is read here; their settings are configured
        // from the validated options below (an invalid configuration stops the start before any token is seen).
        // Disabled, nothing authenticates through a scheme (OAuthResourceServer refuses every token first), so neither
        // the authentication services nor JwtBearer, Data Protection and the web encoders they bring are registered or loaded.
        var configured = section.Get<OAuthOptions>() ?? new OAuthOptions();
        if (configured.Enabled)
        {
            AddJwtBearerSchemes(services, configured.EffectiveIssuers.Count);
        }

        return services;
    }

    /// <summary>Its own method, never inlined: compiling it is what loads JwtBearer and the authentication stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddJwtBearerSchemes(IServiceCollection services, int issuers)
    {
        var authentication = services.AddAuthentication();
        for (var i = 0; i < issuers; i++)
        {
            authentication.AddJwtBearer(OAuthResourceServer.SchemePrefix + i, _ => { });
        }

        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();
    }
}
