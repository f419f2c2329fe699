using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage.Sqlite;

namespace SmsMcp.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The table store chosen by <c>Storage:Provider</c>; refuses to start when it is missing outside Development.</summary>
    public static IServiceCollection AddSmsStorage(this IServiceCollection services, IConfiguration configuration, SmsMcpEnvironment environment)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o =>
            {
                if (environment.IsDevelopment)
                {
                    o.Provider ??= "Sqlite";
                }

                o.SqlitePath ??= Path.Combine(environment.DataDirectory, "smsmcp.db");
            })
            .Validate(o => o.Provider is not null,
                "Storage:Provider is not set. Outside Development the storage backend must be chosen explicitly (Sqlite).")
            .Validate(o => o.Provider is null || string.Equals(o.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase),
                "Storage:Provider must be 'Sqlite'.")
            .ValidateOnStart();

        services.AddSingleton<ITableStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new SqliteTableStore(new SqliteStorageOptions { Path = options.SqlitePath! });
        });
        services.AddHostedService<TableInitializer>();
        return services;
    }
}
