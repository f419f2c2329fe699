using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsMcp.Http;
using SmsMcp.Http.Hosting;

namespace SmsMcp.Functions;

/// <summary>What the worker registers besides the Functions runtime: the shared HTTP surface, the jobs and the dispatcher.</summary>
public static class FunctionsWorker
{
    public static IServiceCollection AddSmsMcpFunctions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment host)
    {
        var environment = services.AddSmsMcpEnvironment(configuration, host);
        services.AddSmsMcpHttp(configuration, environment);
        services.AddSingleton<SmsMcpHttpDispatcher>();
        return services;
    }
}
