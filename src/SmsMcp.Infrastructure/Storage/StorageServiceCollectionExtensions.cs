using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SmsMcp.Core.Hosting;
using SmsMcp.Core.Storage;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Storage.AzureTables;
using SmsMcp.Infrastructure.Storage.Sqlite;

namespace SmsMcp.Infrastructure.Storage;

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
                    o.Provider ??= StorageOptions.SqliteProvider;
                }

                o.SqlitePath ??= Path.Combine(environment.DataDirectory, "smsmcp.db");
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());

        services.AddSingleton<ITableStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.Equals(options.Provider, StorageOptions.AzureTablesProvider, StringComparison.OrdinalIgnoreCase)
                ? CreateAzureTableStore(options)
                : new SqliteTableStore(new SqliteStorageOptions { Path = options.SqlitePath! });
        });
        services.AddHostedService<TableInitializer>();
        return services;
    }

    /// <summary>Its own method, never inlined: compiling it loads Azure.Data.Tables, Azure.Core and Azure.Identity, which a SQLite server never needs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ITableStore CreateAzureTableStore(StorageOptions options) => new AzureTableStore(ToAzureTableStoreOptions(options));

    /// <summary>Validated <see cref="StorageOptions"/> → the Table client's options: a connection string means the account
    /// key (the emulator), a service URI means Entra ID tokens.</summary>
    internal static AzureTableStoreOptions ToAzureTableStoreOptions(StorageOptions options)
    {
        var tableOptions = new AzureTableStoreOptions { RequestTimeout = options.RequestTimeout ?? AzureTableStoreOptions.DefaultRequestTimeout };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            tableOptions.ConnectionString = options.ConnectionString;
        }
        else
        {
            tableOptions.ServiceUri = options.TableServiceUri;
            tableOptions.Credential = AzureCredentials.Create(options.ManagedIdentityClientId);
        }

        return tableOptions;
    }
}
