using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Http.Auth.OAuth;

namespace SmsMcp.Http.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// API-key authentication, optionally OAuth bearer JWTs (<c>Auth:OAuth</c>) and the App Service principal header;
    /// in Development also the dev caller.
    /// </summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOAuthResourceServer(configuration);
        if (environment.IsDevelopment)
        {
            services.AddSingleton(new DevelopmentCallerKey(NullIfEmpty(configuration[DevelopmentCallerKey.Variable])));
        }

        services.AddSingleton(sp => new CallerAuthenticator(
            sp.GetRequiredService<IOptions<AuthOptions>>(),
            sp.GetService<DevelopmentCallerKey>(),
            sp.GetRequiredService<OAuthResourceServer>()));
        return services;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
