using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsMcp.Core.Hosting;
using SmsMcp.Infrastructure.Hosting;
using SmsMcp.Infrastructure.Storage;

namespace SmsMcp.Benchmarks;

/// <summary>
/// The in-process benchmarks' shared set-up: the server's own composition (<c>AddSmsMcpCore</c>) over a data folder,
/// with the given policy, SQLite (or Table Storage when a connection string is given), the sandbox provider and a
/// fresh pseudonymization key. Each benchmark then decorates what it measures.
/// </summary>
internal static class BenchComposition
{
    public static IServiceCollection Services(string data, string policyJson, string? azuriteConnectionString = null)
    {
        var policyPath = Path.Combine(data, "policy.json");
        File.WriteAllText(policyPath, policyJson);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = azuriteConnectionString is null ? StorageOptions.SqliteProvider : StorageOptions.AzureTablesProvider,
            ["Storage:SqlitePath"] = Path.Combine(data, "bench.db"),
            ["Storage:ConnectionString"] = azuriteConnectionString,
            ["Policy:Path"] = policyPath,
            ["Sms:Provider"] = "Sandbox",
            ["Sms:Sandbox:OutboxPath"] = Path.Combine(data, "outbox.jsonl"),
            ["Audit:PseudonymizationKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSmsMcpCore(configuration, SmsMcpEnvironment.Create(isDevelopment: true, data));
        return services;
    }

    /// <summary>Replaces the registration of <typeparamref name="T"/> by <paramref name="wrap"/> around what it built.</summary>
    public static void Decorate<T>(IServiceCollection services, Func<T, T> wrap)
        where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(sp => wrap((T)(original.ImplementationFactory?.Invoke(sp)
            ?? original.ImplementationInstance
            ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
    }
}
