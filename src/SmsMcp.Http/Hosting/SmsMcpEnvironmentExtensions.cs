using SmsMcp.Core.Hosting;

namespace SmsMcp.Http.Hosting;

public static class SmsMcpEnvironmentExtensions
{
    /// <summary>Decides Development or not and where local data lives, and registers that for everyone else.</summary>
    public static SmsMcpEnvironment AddSmsMcpEnvironment(this IServiceCollection services, IConfiguration configuration, IHostEnvironment host)
    {
        var environment = SmsMcpEnvironment.Create(host.IsDevelopment(), configuration[SmsMcpEnvironment.DataDirectoryVariable]);
        services.AddSingleton(environment);
        return environment;
    }
}
