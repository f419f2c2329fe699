using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SmsMcp.Http.Mcp.Logging;

public static class SanitizedLogging
{
    /// <summary>
    /// Puts <see cref="SanitizingLoggerFactory"/> in place of the logger factory, so every logger in the host (the SDK's
    /// included, whatever it logs at whatever level) writes through it.
    /// </summary>
    public static IServiceCollection AddSanitizedLogging(this IServiceCollection services)
    {
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, SanitizingLoggerFactory>());
        return services;
    }
}
