using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Audit;
using SmsMcp.Core.Policy;
using SmsMcp.Core.Providers;
using SmsMcp.Core.Sending;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Hosting;

public static class SmsMcpCoreServiceCollectionExtensions
{
    /// <summary>Everything the send walk needs — storage, audit, provider, policy, pipeline — the same for HTTP and stdio.</summary>
    public static IServiceCollection AddSmsMcpCore(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment) =>
        services
            .AddSmsStorage(configuration, environment)
            .AddSmsAudit(configuration, environment)
            .AddSmsProvider(configuration, environment)
            .AddSmsPolicy(configuration, environment)
            .AddSmsSending(configuration);
}
