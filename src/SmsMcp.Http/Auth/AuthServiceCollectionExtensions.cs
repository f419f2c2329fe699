using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Http.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>API-key (and optionally App Service principal) authentication; in Development also the dev caller.</summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        if (environment.IsDevelopment)
        {
            services.AddSingleton(new DevelopmentCallerKey(NullIfEmpty(configuration[DevelopmentCallerKey.Variable])));
        }

        services.AddSingleton(sp => new CallerAuthenticator(
            sp.GetRequiredService<IOptions<AuthOptions>>(),
            sp.GetService<DevelopmentCallerKey>()));
        return services;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
