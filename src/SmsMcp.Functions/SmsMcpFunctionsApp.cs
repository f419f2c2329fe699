using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Http;
using SmsMcp.Http.Hosting;

namespace SmsMcp.Functions;

/// <summary>
/// The worker's whole configuration: the Functions runtime with ASP.NET Core integration, the shared HTTP surface,
/// the jobs and the dispatcher. Program runs it; the tests build the same container from it without a host.
/// </summary>
public static class SmsMcpFunctionsApp
{
    public static FunctionsApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        var environment = builder.Services.AddSmsMcpEnvironment(builder.Configuration, builder.Environment);
        builder.Services
            .AddSmsMcpHttp(builder.Configuration, environment)
            .AddSingleton<SmsMcpHttpDispatcher>();
        return builder;
    }
}
