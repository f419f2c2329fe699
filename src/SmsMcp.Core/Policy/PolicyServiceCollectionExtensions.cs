using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;

namespace SmsMcp.Core.Policy;

public static class PolicyServiceCollectionExtensions
{
    /// <summary>The send policy (validated at start), the engine that applies it and its price list.</summary>
    public static IServiceCollection AddSmsPolicy(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddSingleton(UrlShorteners.BuiltIn());
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton(sp => new PolicyLoadOnce(environment, sp.GetRequiredService<UrlShorteners>()));
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<PolicyLoadOnce>().Load(sp.GetRequiredService<IOptions<PolicyOptions>>().Value));
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton(sp => sp.GetRequiredService<SendPolicy>().Pricing);
        return services;
    }
}
