using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Storage;

namespace SmsMcp.Core.Lookup;

public static class LookupServiceCollectionExtensions
{
    /// <summary>
    /// The first-contact lookup guard and its cache (options from <c>Lookup</c>, validated at start). The
    /// <see cref="INumberLookup"/> itself comes with the provider (<c>AddSmsProvider</c>).
    /// </summary>
    public static IServiceCollection AddSmsLookup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LookupOptions>()
            .Bind(configuration.GetSection(LookupOptions.SectionName))
            .Validate(o => o.CacheTtl >= TimeSpan.FromHours(1) && o.CacheTtl <= TimeSpan.FromDays(90), "Lookup:CacheTtl must be between 01:00:00 and 90.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<LookupCache>();
        services.AddTable(LookupCache.Table);
        services.AddSingleton<LookupGuard>();
        return services;
    }
}
